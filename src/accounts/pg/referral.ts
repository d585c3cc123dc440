// The referral store on Postgres (contract: ../referral-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { ReferralRow, ReferralStore } from "../referral-store";
import { atomicallyOn, cols, unlessUnique } from "./sql";

const REF = cols(schema.referrals);
const SIDE = { inviterId: "inviter_id", inviteeId: "invitee_id" } as const;

export function createPgReferralStore(pg: PgClient): ReferralStore {
  return {
    codeOf: (userId) =>
      pg.get<{ c: string | null }>("SELECT referral_code AS c FROM users WHERE id = $1", [userId])?.c ?? null,
    setCode: (userId, code) =>
      unlessUnique(
        pg,
        () => {
          pg.run("UPDATE users SET referral_code = $2 WHERE id = $1 AND referral_code IS NULL", [
            userId,
            code,
          ]);
          return true;
        },
        false,
      ),
    userByCode: (code) =>
      pg.get<{ id: number; mergedInto: number | null }>(
        `SELECT id, merged_into AS "mergedInto" FROM users WHERE referral_code = $1`,
        [code],
      ),
    insert: (inviterId, inviteeId, via, now) =>
      pg.get<ReferralRow>(
        `INSERT INTO referrals (inviter_id, invitee_id, via, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING ${REF}`,
        [inviterId, inviteeId, via, now],
      ),
    ofInvitee: (inviteeId) =>
      pg.get<ReferralRow>(`SELECT ${REF} FROM referrals WHERE invitee_id = $1`, [inviteeId]),
    listOfInviter: (inviterId, limit) =>
      pg.all<ReferralRow>(`SELECT ${REF} FROM referrals WHERE inviter_id = $1 ORDER BY id DESC LIMIT $2`, [
        inviterId,
        limit,
      ]),
    markRewarded: (id, now) =>
      pg.get<ReferralRow>(
        `UPDATE referrals SET status = 'rewarded', rewarded_at = $2 WHERE id = $1 AND status = 'pending'
         RETURNING ${REF}`,
        [id, now],
      ),
    setStatus(id, status) {
      pg.run("UPDATE referrals SET status = $2 WHERE id = $1", [id, status]);
    },
    involving: (userId) =>
      pg.all<ReferralRow>(
        `SELECT ${REF} FROM referrals WHERE inviter_id = $1 OR invitee_id = $1 ORDER BY id`,
        [userId],
      ),
    repoint(id, side, userId) {
      pg.run(`UPDATE referrals SET ${SIDE[side]} = $2 WHERE id = $1`, [id, userId]);
    },
    pending: (limit) =>
      pg.all<ReferralRow>(`SELECT ${REF} FROM referrals WHERE status = 'pending' ORDER BY id LIMIT $1`, [
        limit,
      ]),
    atomically: atomicallyOn(pg),
  };
}
