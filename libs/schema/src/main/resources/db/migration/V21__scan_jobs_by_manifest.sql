-- scan_jobs by artifact (issue #22): deleting a manifest cascades into its jobs, and the scan API
-- looks up an artifact's latest job; without this both read the whole queue.
CREATE INDEX scan_jobs_manifest ON scan_jobs (manifest_id, scanner_id, id DESC);
