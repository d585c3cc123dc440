// Messages of album mode (src/audio/album*.ts, the album batch and its routes, the CLI album verb).
import type { Catalogue } from "../index";

export const albumMessages: Catalogue = {
  album_summary: {
    ru: "Альбом: стиль {style}, самый громкий трек на {target} LUFS, отклонение относительной громкости до {error} LU, true peak до {tp} dBTP.",
    en: "Album: style {style}, the loudest track at {target} LUFS, relative loudness kept within {error} LU, true peak up to {tp} dBTP.",
  },
  album_needs_tracks: {
    ru: "Для альбома нужно от {min} до {max} файлов (получено {count}).",
    en: "An album takes {min} to {max} files (got {count}).",
  },
  batch_not_found: { ru: "Пакет {id} не найден.", en: "Batch {id} not found." },
  batch_not_album: {
    ru: "Пакет {id} обработан не как альбом: отчёта альбома у него нет.",
    en: "Batch {id} was not mastered as an album, so it has no album report.",
  },
  batch_nothing_ready: {
    ru: "В пакете {id} пока нет готовых результатов.",
    en: "Batch {id} has no finished results yet.",
  },
  audio_changed_album: {
    ru: "Альбом: трек на {offset} LU относительно самого громкого, общая обработка и усиление на входе ({pre} дБ).",
    en: "Album: the track sits {offset} LU from the loudest one, with the album's shared chain and input gain ({pre} dB).",
  },
};
