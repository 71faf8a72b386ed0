#!/bin/bash
# Writes the dev overlay's secrets/*.env from their *.env.example files, with a random value for
# every value the examples mark change-me-..., so that no cluster starts with a known password.
# Files that exist are kept (a changed secret locks you out of data sealed with it).
#
#   k8s/overlays/dev/secrets/make-secrets.sh
set -euo pipefail
cd "$(dirname "$0")"
command -v openssl >/dev/null || { echo "openssl is needed (apt-get install openssl)" >&2; exit 1; }
umask 077
for example in *.env.example; do
  out=${example%.example}
  if [[ -e $out ]]; then
    echo "kept $out"
    continue
  fi
  while IFS= read -r line; do
    if [[ $line =~ ^([a-z-]+)=change-me ]]; then
      echo "${BASH_REMATCH[1]}=$(openssl rand -hex 24)"
    else
      printf '%s\n' "$line"
    fi
  done < "$example" > "$out"
  echo "wrote $out"
done
if grep -l '=change-me' ./*.env > /dev/null 2>&1; then
  echo "a change-me value is left in: $(grep -l '=change-me' ./*.env | paste -sd' ')" >&2
  exit 1
fi
