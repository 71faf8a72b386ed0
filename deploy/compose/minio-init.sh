#!/bin/sh
# minio-init (docker-compose.yml): the bucket berth stores blobs in, private, and berth's own
# MinIO user (BERTH_STORAGE_ACCESS_KEY), which may use that bucket and nothing else; the root
# user stays with the operator. Idempotent: run on every `up`.
set -eu

mc alias set berth http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "berth/$BERTH_STORAGE_BUCKET"
mc anonymous set none "berth/$BERTH_STORAGE_BUCKET"

policy=/tmp/berth-bucket.json
cat > "$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:*"],
      "Resource": ["arn:aws:s3:::$BERTH_STORAGE_BUCKET", "arn:aws:s3:::$BERTH_STORAGE_BUCKET/*"]
    }
  ]
}
JSON
mc admin policy create berth berth-bucket "$policy"
# Adding an existing user sets its secret again: a changed .env takes effect.
mc admin user add berth "$BERTH_STORAGE_ACCESS_KEY" "$BERTH_STORAGE_SECRET_KEY"
# Attaching a policy the user already has is an error to mc; what counts is that it is attached.
# (The image has no grep: the shell's own pattern matching checks the user's policies.)
if ! mc admin policy attach berth berth-bucket --user "$BERTH_STORAGE_ACCESS_KEY" 2>/dev/null; then
  case $(mc admin user info berth "$BERTH_STORAGE_ACCESS_KEY") in
    *berth-bucket*) ;;
    *) echo "could not attach policy berth-bucket to $BERTH_STORAGE_ACCESS_KEY" >&2; exit 1 ;;
  esac
fi
echo "bucket $BERTH_STORAGE_BUCKET ready for $BERTH_STORAGE_ACCESS_KEY"
