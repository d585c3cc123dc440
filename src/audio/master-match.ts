// The reference-matching steps of master(): measure the input and the references (two at a time on the
// 2-core target), plan the match, adjust the resolved settings (loudness target, compression), and after
// the chain pass measure what it produced to decide whether one refined chain pass is worth it.

import { AppError, isAppError } from "../errors";
import { allOrStop } from "./concurrent";
import type { Flow } from "./flow";
import { type MatchMeasurement, measureForMatch } from "./match-measure";
import { limiter } from "./plan";
import {
  averageReferences,
  MAX_REFERENCES,
  type MatchPlan,
  type MatchTarget,
  MIN_EQ_HZ,
  planMatch,
  refineMatch,
  toneResidualDb,
  widthResidualDb,
} from "./plan-match";
import type { ResolvedSettings } from "./settings";

/** Above these the chain's own colouring is corrected with a second chain pass (dB). */
const REFINE_TONE_DB = 0.3;
const REFINE_WIDTH_DB = 0.3;

export type MatchState = {
  plan: MatchPlan;
  target: MatchTarget;
  input: MatchMeasurement;
  /** Weights in reference order, normalised to sum 1. */
  weights: number[];
  /** Chain passes run (1, or 2 after a refinement). */
  passes: number;
};

const lowHz = (r: ResolvedSettings) =>
  Math.max(MIN_EQ_HZ, r.modules.highpass.enabled ? 1.3 * r.modules.highpass.freq_hz : 0);

/** Runs `jobs` at most `lanes` at a time, in order. */
async function inLanes<T>(
  outer: AbortSignal | undefined,
  jobs: ((signal: AbortSignal) => Promise<T>)[],
  lanes: number,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += lanes)
    out.push(...(await allOrStop<T[]>(outer, jobs.slice(i, i + lanes))));
  return out;
}

/**
 * Measures the input and every reference, and plans the match. A reference without measurable audio
 * fails with reference_unusable (422, its 1-based index); more than MAX_REFERENCES with too_many_references.
 */
export async function prepareMatch(
  flow: Flow,
  r: ResolvedSettings,
  input: string,
  references: readonly string[],
  lanes: number,
  /** The input's measurement when style=auto already took it. */
  known: MatchMeasurement | null = null,
): Promise<MatchState> {
  if (references.length > MAX_REFERENCES)
    throw new AppError("too_many_references", 400, { max: MAX_REFERENCES });
  const given = r.reference_weights;
  if (given && given.length !== references.length)
    throw new AppError("invalid_settings", 400, {
      details: `reference.weights: ${given.length} weights for ${references.length} references`,
    });
  const raw = given ?? references.map(() => 1);
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const pass = (signal: AbortSignal) => ({ signal, timeoutMs: flow.pass("reference", 0.1, 0.12).timeoutMs });
  const measured = await flow.time("reference", () =>
    inLanes(
      flow.signal,
      [
        (signal) => (known ? Promise.resolve(known) : measureForMatch(input, pass(signal))),
        ...references.map(
          (ref, i) => (signal: AbortSignal) =>
            measureForMatch(ref, pass(signal)).catch((err: unknown) => {
              if (
                isAppError(err) &&
                ["audio_silent", "audio_unreadable", "no_audio_stream"].includes(err.code)
              )
                throw new AppError("reference_unusable", 422, { index: i + 1 }, err);
              throw err;
            }),
        ),
      ],
      lanes,
    ),
  );
  const [inputM, ...refs] = measured as [MatchMeasurement, ...MatchMeasurement[]];
  const target = averageReferences(refs.map((m, i) => ({ m, weight: weights[i] as number })));
  return { plan: planMatch(inputM, target, r.match, lowHz(r)), target, input: inputM, weights, passes: 1 };
}

/**
 * The settings the chain runs with under a match: the reference's loudness unless the caller set a target
 * explicitly, and the compression scaled by the dynamics match unless the caller set the amount.
 */
export function matchedSettings(
  r: ResolvedSettings,
  plan: MatchPlan,
  explicit: { target: boolean; amount: boolean },
): ResolvedSettings {
  const target = plan.target_lufs !== null && !explicit.target ? plan.target_lufs : r.target_lufs;
  const scale = plan.compression_scale !== null && !explicit.amount ? plan.compression_scale : 1;
  const mb = r.modules.multiband;
  return {
    ...r,
    target_lufs: target,
    modules: { ...r.modules, multiband: { ...mb, amount: Math.min(3, mb.amount * scale) } },
  };
}

/**
 * After a chain pass: measures the intermediate and, when the tone or width still misses the target by
 * more than the refine thresholds, returns the refined plan for a second chain pass (else null).
 */
export async function refineAfterChain(
  flow: Flow,
  r: ResolvedSettings,
  state: MatchState,
  intermediate: string,
  preLufs: number,
): Promise<MatchPlan | null> {
  if (state.plan.eq_db === null && state.plan.width === null) return null;
  const p = flow.pass("reference", 0.3, 0.32);
  // Measured through the limiter at about the final drive: on loud targets it takes more out of the
  // bass-heavy peaks than elsewhere (−0.8 dB of a +4.6 dB low shelf at −14 LUFS), and that belongs in
  // the correction too.
  const drive = `volume=${(r.target_lufs - preLufs).toFixed(2)}dB,${limiter(r.render_ceiling_dbtp, 0, 1, r.limiter_release_ms)}`;
  const rendered = await flow.time("reference", () =>
    measureForMatch(intermediate, { signal: p.signal, timeoutMs: p.timeoutMs, filter: drive }),
  );
  const tone = state.plan.eq_db === null ? 0 : (toneResidualDb(rendered, state.target) ?? 0);
  const width = state.plan.width === null ? 0 : Math.abs(widthResidualDb(rendered, state.target) ?? 0);
  if (tone <= REFINE_TONE_DB && width <= REFINE_WIDTH_DB) return null;
  return refineMatch(state.plan, rendered, state.target, lowHz(r));
}
