// The file-store suite (storage-backends-suite.ts: the data folder and an S3 bucket) on the SQLite file.
import { sqliteApi } from "./backends";
import { storageBackendsSuite } from "./storage-backends-suite";

storageBackendsSuite(sqliteApi);
