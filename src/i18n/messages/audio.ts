// Messages of the audio engine's errors (src/audio). Owned by the audio engine.
import type { Catalogue } from "../index";

export const audioMessages: Catalogue = {};
