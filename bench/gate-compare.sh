#!/usr/bin/env bash
# The manifest GET with the pull gate off and on (issue #22): one project, the same images, the
# policy toggled between runs; berth-bench's manifest workloads against registry-api.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
G=http://127.0.0.1:5000 A=admin:${BERTH_ADMIN_PASSWORD:-berth-admin} NS=gatebench-$(date +%s)
# The project and what berth-bench left in it go when the script ends (gc frees the blobs later).
cleanup() {
  local r
  for r in $(curl -sf -u "$A" "$G/api/v1/projects/$NS/repositories?page_size=100" | jq -r '.[].name' 2>/dev/null); do
    curl -s -o /dev/null -u "$A" -X DELETE "$G/api/v1/projects/$NS/repositories/${r#"$NS"/}"
  done
  curl -s -o /dev/null -u "$A" -X DELETE "$G/api/v1/projects/$NS"
}
trap cleanup EXIT
curl -sf -u $A -H 'Content-Type: application/json' -d "{\"name\":\"$NS\"}" $G/api/v1/projects > /dev/null
policy() { curl -sf -u $A -X PUT -H 'Content-Type: application/json' -d "{\"vulnerabilityPolicy\": $1}" $G/api/v1/projects/$NS > /dev/null; sleep 3; }
run() {
  java -jar bench/target/berth-bench.jar --target berth=http://127.0.0.1:8081 --user "berth=$A" --namespace $NS \
    --profile full --rounds 3 --only manifest-get-tag,manifest-get-digest --out .berth/bench/gate-$1.json 2>&1 | grep -E "^(round|manifest-get)" 
}
OFF='{"scanOnPush": false, "preventPull": false, "severity": "critical"}'
ON='{"scanOnPush": false, "preventPull": true, "severity": "critical", "unscanned": "allow"}'
for i in 1 2; do
  policy "$OFF"; echo "== gate off ($i)"; run off$i
  policy "$ON"; echo "== gate on ($i)"; run on$i
done
