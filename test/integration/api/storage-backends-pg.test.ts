// The file-store suite (storage-backends-suite.ts) on a harness Postgres: upload → worker → download
// from the data folder and from an S3 bucket (s3rver), and a worker node on its own Postgres connection
// and data folder running the API node's upload from the bucket alone.
import { postgresApi } from "./backends";
import { storageBackendsSuite } from "./storage-backends-suite";

storageBackendsSuite(postgresApi("the file-store suite"));
