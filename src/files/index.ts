// Public face of the files area: the data-dir layout, streamed uploads, audio validation, upload limits,
// safe names and orphan clean-up.

export type { ProbeInfo } from "../audio";
export {
  type Admission,
  type AdmissionKind,
  admissionFor,
  checkDiskBeforeUpload,
  type InputCaps,
} from "./admission";
export { discardFiles, removeOrphanFiles, removeOrphanObjects } from "./cleanup";
export { type DataLayout, dataLayout, ensureLayout } from "./layout";
export { type OwnerLimit, uploadLimitBytes } from "./limits";
export { type MultipartOptions, type ReceivedFile, type ReceivedForm, receiveMultipart } from "./multipart";
export { contentDisposition, extensionOf, sanitizeFilename } from "./names";
export { type AudioContainer, sniffAudioContainer } from "./sniff";
export { ensureFreeSpace, freeBytes } from "./space";
export {
  createFileStore,
  createLocalFileStore,
  createS3FileStore,
  type FileStore,
  type FileStoreKind,
  keyOfRef,
  localPathOf,
  parseStorageUrl,
  type ServeTarget,
} from "./store";
export { createUploadTracker, type UploadTracker } from "./tracker";
export { type StoredUpload, type StoreUploadOptions, storeUpload } from "./upload";
export { type ValidatedAudio, validateAudio } from "./validate";
export { type ZipEntry, zipChunks, zipStream } from "./zip";
