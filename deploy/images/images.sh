# shellcheck shell=bash
# ./berth images: one OCI image per service, written as an OCI layout without a container engine
# (docs/images.md, ADR 0041). Sourced by ./berth after deploy/local/lib/*.sh.
#
#   $BERTH_HOME/images/oci             the OCI layout: refs <service> (image) and <service>-sbom
#   $BERTH_HOME/images/sbom/<svc>.cdx.json  each image's CycloneDX SBOM
#   $BERTH_HOME/images/base/<key>/     the cached base layer (a new key when its inputs change)
#
# Every layer is a tar written the same way each time (sorted names, one mtime, owner 0:0, no
# atime/ctime headers) and compressed with gzip -n, so the same inputs give the same digests.

IMAGES_DIR=${BERTH_IMAGES_DIR:-$BERTH_HOME/images}
IMAGES_LAYOUT=$IMAGES_DIR/oci
IMAGES_BASE_CACHE=$IMAGES_DIR/base
IMAGES_STAMP=$IMAGES_DIR/build.stamp
IMAGES_SRC=$BERTH_ROOT/deploy/images
# The base's Debian release, pinned: the same commit must not get another JRE from another host.
IMAGES_SUITE=${BERTH_IMAGES_SUITE:-bookworm}
# Where the packages come from: this machine's apt sources (bookworm, -updates and -security),
# or any mmdebstrap MIRROR argument (a URL, a deb line, a .list or .sources file).
IMAGES_DEBIAN_SOURCES=${BERTH_IMAGES_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}
IMAGE_JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
IMAGE_APP_DIR=/opt/berth
IMAGE_USER=10001:10001
# G1 (the seed's advice), a heap of 75 % of the container's memory limit: the rest is for
# metaspace, code cache, threads and Netty's direct buffers (docs/images.md has the measurements).
# A JVM out of heap exits, so that the orchestrator restarts it, rather than limping on.
IMAGE_JVM_FLAGS=(-XX:+UseG1GC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp)
# Labels the project does not declare in its poms; set them for a release.
IMAGE_SOURCE=${BERTH_IMAGE_SOURCE:-$(git -C "$BERTH_ROOT" remote get-url origin 2>/dev/null || echo NOASSERTION)}
IMAGE_LICENSES=${BERTH_IMAGE_LICENSES:-NOASSERTION}

MT_INDEX=application/vnd.oci.image.index.v1+json
MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_CONFIG=application/vnd.oci.image.config.v1+json
MT_LAYER=application/vnd.oci.image.layer.v1.tar+gzip
MT_EMPTY=application/vnd.oci.empty.v1+json
MT_CYCLONEDX=application/vnd.cyclonedx+json

images_version() { sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$BERTH_ROOT/pom.xml" | sed 's/-SNAPSHOT$//'; }
images_revision() {
  local r
  r=$(git -C "$BERTH_ROOT" rev-parse HEAD 2>/dev/null) || { echo unknown; return; }
  git -C "$BERTH_ROOT" diff --quiet HEAD 2>/dev/null || r="$r-dirty"
  echo "$r"
}
# The time every layer entry and the config carry: the commit's (SOURCE_DATE_EPOCH overrides).
images_epoch() { echo "${SOURCE_DATE_EPOCH:-$(git -C "$BERTH_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}"; }
# The base's own time: the last commit that changed its recipe, so other commits reuse its layer.
images_base_epoch() {
  local t
  t=$(git -C "$BERTH_ROOT" log -1 --format=%ct -- deploy/images/base 2>/dev/null)
  echo "${t:-$(images_epoch)}"
}
# The dependencies' layer's time: the last commit that changed a pom.
images_deps_epoch() {
  local t
  t=$(git -C "$BERTH_ROOT" log -1 --format=%ct -- pom.xml '*/pom.xml' 2>/dev/null)
  echo "${t:-$(images_epoch)}"
}
iso_time() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# A reproducible tar of everything under dir (top-level entries sorted, then --sort=name).
tar_layer() { # dir out epoch [tar options...]
  local dir=$1 out=$2 epoch=$3 entries
  shift 3
  mapfile -t entries < <(cd "$dir" && LC_ALL=C ls -A | LC_ALL=C sort)
  LC_ALL=C tar --create --file "$out" --directory "$dir" --format=posix \
    --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
    --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --no-acls --no-xattrs --no-selinux "$@" -- "${entries[@]}"
}

# Puts a file into the layout's blobs by its digest; prints "digest size".
put_blob() { # file
  local d
  d=$(sha256_of "$1")
  mkdir -p "$IMAGES_LAYOUT/blobs/sha256"
  cp "$1" "$IMAGES_LAYOUT/blobs/sha256/$d"
  echo "sha256:$d $(stat -c %s "$1")"
}

# gzip -n (no name, no time) of a layer tar; prints "digest size diff_id" and stores the blob.
put_layer() { # tar
  local diff
  diff=$(sha256_of "$1")
  gzip -n -6 -c "$1" > "$1.gz"
  echo "$(put_blob "$1.gz") sha256:$diff"
  rm -f "$1.gz"
}

# ---------------------------------------------------------------- the base
images_base_key() {
  { cat "$IMAGES_SRC"/base/*; echo "$IMAGES_SUITE"; cat "$IMAGES_DEBIAN_SOURCES" 2>/dev/null || echo "$IMAGES_DEBIAN_SOURCES"
    images_base_epoch; } | sha256sum | cut -c1-16
}

# The base layer, built once per key with mmdebstrap and cached: "digest size diff_id" in
# $IMAGES_BASE_CACHE/<key>/layer, the rootfs's dpkg status and os-release beside it.
images_base() { # rebuild(0|1)
  local key dir epoch rootfs
  key=$(images_base_key)
  dir=$IMAGES_BASE_CACHE/$key
  if [[ $1 == 0 && -s $dir/layer && -s $dir/layer.tar.gz ]]; then
    BASE_DIR=$dir
    return 0
  fi
  [[ $(id -u) == 0 ]] || die "building the image base needs root (mmdebstrap --mode=root)"
  require_packages mmdebstrap
  epoch=$(images_base_epoch)
  say "building the image base ($IMAGES_SUITE, $(grep -v '^#' "$IMAGES_SRC/base/packages" | grep . | paste -sd' '); about a minute)"
  rm -rf "$IMAGES_BASE_CACHE" && mkdir -p "$dir"
  rootfs=$dir/rootfs
  SOURCE_DATE_EPOCH=$epoch mmdebstrap --variant=extract --mode=root --quiet \
    --include="$(grep -v '^#' "$IMAGES_SRC/base/packages" | grep . | paste -sd,)" \
    --extract-hook="$IMAGES_SRC/base/dpkg-status.sh \"\$1\"" \
    "$IMAGES_SUITE" "$rootfs" "$IMAGES_DEBIAN_SOURCES" > "$BERTH_LOGS/images-base.log" 2>&1 ||
    die "mmdebstrap could not build the image base; see $BERTH_LOGS/images-base.log"
  # The extract variant runs no customize hook: the recipe's last step runs here.
  "$IMAGES_SRC/base/customize.sh" "$rootfs" >> "$BERTH_LOGS/images-base.log" 2>&1 ||
    die "could not finish the image base; see $BERTH_LOGS/images-base.log"
  cp "$rootfs/var/lib/dpkg/status" "$dir/dpkg-status"
  cp "$rootfs/etc/os-release" "$dir/os-release" 2>/dev/null || cp "$rootfs/usr/lib/os-release" "$dir/os-release"
  tar_layer "$rootfs" "$dir/layer.tar" "$epoch"
  gzip -n -6 -c "$dir/layer.tar" > "$dir/layer.tar.gz"
  echo "sha256:$(sha256_of "$dir/layer.tar.gz") $(stat -c %s "$dir/layer.tar.gz") sha256:$(sha256_of "$dir/layer.tar")" \
    > "$dir/layer"
  rm -rf "$rootfs" "$dir/layer.tar"
  BASE_DIR=$dir
}

# ---------------------------------------------------------------- one service
images_ports() { # service -> ExposedPorts JSON
  if [[ $1 == gateway ]]; then echo '{"5000/tcp":{},"5443/tcp":{},"9580/tcp":{}}'; else echo '{"8080/tcp":{}}'; fi
}

images_description() { # service: the <description> of its pom
  sed -n 's|.*<description>\(.*\)</description>.*|\1|p' "$BERTH_ROOT/services/$1/pom.xml" | head -n1
}

images_labels() { # service version revision created
  jq -n -c --arg svc "$1" --arg version "$2" --arg revision "$3" --arg created "$4" \
    --arg description "$(images_description "$1")" --arg source "$IMAGE_SOURCE" --arg licenses "$IMAGE_LICENSES" \
    '{"org.opencontainers.image.title": ("berth " + $svc), "org.opencontainers.image.description": $description,
      "org.opencontainers.image.version": $version, "org.opencontainers.image.revision": $revision,
      "org.opencontainers.image.source": $source, "org.opencontainers.image.licenses": $licenses,
      "org.opencontainers.image.created": $created}'
}

# The image of one service: base, lib/ (dependencies, change with a pom), then app/, quarkus/,
# quarkus-run.jar and berth's own libraries (change with every commit). Each layer's entries
# carry the time of the last commit that changed what it holds. Prints the manifest's "digest size".
images_service() { # service work-dir
  local svc=$1 work=$2/$1 app epoch created version revision lib top cfg labels entrypoint netty
  app=$BERTH_ROOT/services/$svc/target/quarkus-app
  [[ -f $app/quarkus-run.jar ]] || die "$svc is not built ($app/quarkus-run.jar is missing)"
  epoch=$(images_epoch) created=$(iso_time "$epoch") version=$(images_version) revision=$(images_revision)
  mkdir -p "$work/lib$IMAGE_APP_DIR" "$work/app$IMAGE_APP_DIR/lib/main"
  cp -r "$app/lib" "$work/lib$IMAGE_APP_DIR/"
  cp -r "$app/app" "$app/quarkus" "$app/quarkus-run.jar" "$work/app$IMAGE_APP_DIR/"
  # berth's own libraries (io.berth.*) change with its code: they go with the application, so
  # the dependencies' layer changes only when a pom does.
  mv "$work/lib$IMAGE_APP_DIR"/lib/main/io.berth.* "$work/app$IMAGE_APP_DIR/lib/main/" 2>/dev/null || true
  # Readable by everyone, writable by no one but root: the user 10001 only reads the application.
  tar_layer "$work/lib" "$work/lib.tar" "$(images_deps_epoch)" --mode='u=rwX,go=rX'
  tar_layer "$work/app" "$work/app.tar" "$epoch" --mode='u=rwX,go=rX'
  read -r lib_digest lib_size lib_diff < <(put_layer "$work/lib.tar")
  read -r app_digest app_size app_diff < <(put_layer "$work/app.tar")
  read -r base_digest base_size base_diff < "$BASE_DIR/layer"
  mkdir -p "$IMAGES_LAYOUT/blobs/sha256"
  ln -f "$BASE_DIR/layer.tar.gz" "$IMAGES_LAYOUT/blobs/sha256/${base_digest#sha256:}" 2>/dev/null ||
    cp "$BASE_DIR/layer.tar.gz" "$IMAGES_LAYOUT/blobs/sha256/${base_digest#sha256:}"

  read -ra netty <<< "$BERTH_NETTY_JAVA_OPTS"
  entrypoint=$(printf '%s\n' "$IMAGE_JAVA" "${IMAGE_JVM_FLAGS[@]}" "${netty[@]}" -jar "$IMAGE_APP_DIR/quarkus-run.jar" |
    jq -R . | jq -s -c .)
  labels=$(images_labels "$svc" "$version" "$revision" "$created")
  jq -n -c -j --arg created "$created" --arg user "$IMAGE_USER" --arg wd "$IMAGE_APP_DIR" \
    --argjson entrypoint "$entrypoint" --argjson ports "$(images_ports "$svc")" --argjson labels "$labels" \
    --arg base "$base_diff" --arg lib "$lib_diff" --arg app "$app_diff" --arg svc "$svc" '
    {created: $created, architecture: "amd64", os: "linux",
     config: {User: $user, WorkingDir: $wd, Entrypoint: $entrypoint, ExposedPorts: $ports, Labels: $labels,
              Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", "LANG=C.UTF-8"]},
     rootfs: {type: "layers", diff_ids: [$base, $lib, $app]},
     history: [{created: $created, created_by: "deploy/images/base: mmdebstrap --variant=extract (openjdk-17-jre-headless)"},
               {created: $created, created_by: ("services/" + $svc + "/target/quarkus-app/lib (dependencies)")},
               {created: $created, created_by: ("services/" + $svc + "/target/quarkus-app/{app,quarkus,quarkus-run.jar,lib/main/io.berth.*}")}]}' \
    > "$work/config.json"
  read -r cfg cfg_size < <(put_blob "$work/config.json")
  jq -n -c -j --arg cfg "$cfg" --argjson cfgsize "$cfg_size" --argjson labels "$labels" \
    --arg l1 "$base_digest" --argjson s1 "$base_size" --arg l2 "$lib_digest" --argjson s2 "$lib_size" \
    --arg l3 "$app_digest" --argjson s3 "$app_size" --arg mt "$MT_MANIFEST" --arg ct "$MT_CONFIG" --arg lt "$MT_LAYER" '
    {schemaVersion: 2, mediaType: $mt, config: {mediaType: $ct, digest: $cfg, size: $cfgsize},
     layers: [{mediaType: $lt, digest: $l1, size: $s1}, {mediaType: $lt, digest: $l2, size: $s2},
              {mediaType: $lt, digest: $l3, size: $s3}],
     annotations: $labels}' > "$work/manifest.json"
  put_blob "$work/manifest.json"
}

# ---------------------------------------------------------------- the SBOM
# Maven coordinates of the jars in a fast-jar's lib/ and app/: from each jar's own
# META-INF/maven/<g>/<a>/pom.properties when its name matches the file (Quarkus names them
# <group>.<artifact>-<version>.jar), otherwise from the file name alone. TSV: group artifact version file.
images_maven_jars() { # quarkus-app dir
  local jar base path
  while read -r jar; do
    base=${jar##*/} base=${base%.jar} path=${jar#"$1"/}
    # Every pom.properties of the jar in one stream (a shaded jar has several): the first whose
    # coordinates match the file name wins.
    unzip -p "$jar" 'META-INF/maven/*/pom.properties' 2>/dev/null | tr -d '\r' |
      awk -F= -v base="$base" -v path="$path" '
        function take() {
          if (g != "" && a != "" && v != "" && (index(base, g "." a "-" v) == 1 || index(base, a "-" v) == 1)) {
            printf "%s\t%s\t%s\t%s\n", g, a, v, path; found = 1; exit
          }
        }
        /^groupId=/ {g = $2} /^artifactId=/ {a = $2} /^version=/ {v = $2} {take()}
        END {if (!found) exit 1}' || images_jar_from_name "$base" "$path"
  done < <(find "$1/lib" "$1/app" -name '*.jar' | LC_ALL=C sort)
}

# A jar without its pom.properties: the version starts at the first "-<digit>", the group is
# what comes before the last dot (io.grpc.grpc-api-1.79.0: io.grpc, grpc-api, 1.79.0); berth's
# own jar in app/ is named <artifact>-<version>. A fifth column says the name was all there was.
images_jar_from_name() { # base-name path
  local ga v
  ga=${1%%-[0-9]*}
  v=${1#"$ga"-}
  [[ $v != "$1" ]] || v=
  if [[ $2 == app/* ]]; then
    printf 'io.berth\t%s\t%s\t%s\tfile-name\n' "$ga" "$v" "$2"
  elif [[ $ga == *.* ]]; then
    printf '%s\t%s\t%s\t%s\tfile-name\n' "${ga%.*}" "${ga##*.}" "$v" "$2"
  else
    printf '\t%s\t%s\t%s\tfile-name\n' "$ga" "$v" "$2"
  fi
}

# dpkg status -> TSV: package version architecture
images_deb_packages() { # status file
  awk -v OFS='\t' '/^Package: / {p = $2} /^Version: / {v = $2} /^Architecture: / {a = $2}
    /^$/ {if (p != "") print p, v, a; p = ""} END {if (p != "") print p, v, a}' "$1" | LC_ALL=C sort
}

# A CycloneDX 1.6 SBOM of the image: its Debian packages and its Maven jars. No time of its own
# (metadata.timestamp is the commit's) and a serial number derived from the rest, as
# scanner-bridge writes its SBOMs (ADR 0035): the same image gives the same bytes.
images_sbom() { # service manifest-digest out
  local svc=$1 digest=$2 out=$3 app distro body md5 uuid
  app=$BERTH_ROOT/services/$svc/target/quarkus-app
  distro=$(. "$BASE_DIR/os-release" && echo "$ID-$VERSION_ID")
  body=$(jq -n -c \
    --arg svc "$svc" --arg digest "$digest" --arg version "$(images_version)" --arg distro "$distro" \
    --arg created "$(iso_time "$(images_epoch)")" \
    --rawfile debs <(images_deb_packages "$BASE_DIR/dpkg-status") \
    --rawfile jars <(images_maven_jars "$app") '
    def rows($s): $s | split("\n") | map(select(length > 0) | split("\t"));
    def deb: {type: "library", name: .[0], version: .[1],
              purl: ("pkg:deb/" + ($distro | split("-")[0]) + "/" + .[0] + "@" + (.[1] | @uri) + "?arch=" + .[2] + "&distro=" + $distro),
              properties: [{name: "berth:ecosystem", value: "Debian"}]}
             | .["bom-ref"] = .purl;
    def jar: if .[0] == "" then {type: "library", name: .[1], properties: [{name: "berth:path", value: ("/opt/berth/" + .[3])}]}
             else {type: "library", group: .[0], name: .[1], version: .[2],
                   purl: ("pkg:maven/" + .[0] + "/" + .[1] + "@" + (.[2] | @uri)),
                   properties: ([{name: "berth:path", value: ("/opt/berth/" + .[3])}]
                                + if .[4] == "file-name" then [{name: "berth:coordinates", value: "file-name"}] else [] end)}
                  | .["bom-ref"] = (.purl + "#" + .properties[0].value) end;
    {bomFormat: "CycloneDX", specVersion: "1.6", version: 1,
     metadata: {timestamp: $created,
                tools: {components: [{type: "application", name: "berth images", version: $version}]},
                component: {type: "container", name: ("berth/" + $svc), version: $digest,
                            "bom-ref": ("berth/" + $svc + "@" + $digest),
                            hashes: [{alg: "SHA-256", content: ($digest | ltrimstr("sha256:"))}],
                            purl: ("pkg:oci/" + $svc + "@" + ($digest | @uri))}},
     components: ([{type: "operating-system", name: ($distro | split("-")[0]), version: ($distro | split("-")[1]),
                    "bom-ref": ("os:" + $distro)}] + (rows($debs) | map(deb)) + (rows($jars) | map(jar)))}')
  # A name-based (version 3) UUID of the document without its serial number.
  md5=$(printf '%s' "$body" | md5sum | cut -c1-32)
  uuid="${md5:0:8}-${md5:8:4}-3${md5:13:3}-$(printf '%x' $(( (16#${md5:16:2} & 0x3f) | 0x80 )))${md5:18:2}-${md5:20:12}"
  jq -c -j --arg serial "urn:uuid:$uuid" '{bomFormat, specVersion, serialNumber: $serial, version, metadata, components}' \
    <<< "$body" > "$out"
}

# The SBOM as an OCI artifact whose subject is the image, in the layout; prints "digest size".
images_sbom_artifact() { # service image-digest image-size sbom-file work
  local empty sbom
  printf '{}' > "$5/empty.json"
  read -r empty _ < <(put_blob "$5/empty.json")
  read -r sbom sbom_size < <(put_blob "$4")
  jq -n -c -j --arg mt "$MT_MANIFEST" --arg at "$MT_CYCLONEDX" --arg et "$MT_EMPTY" --arg empty "$empty" \
    --arg sbom "$sbom" --argjson size "$sbom_size" --arg subject "$2" --argjson subjectsize "$3" --arg svc "$1" '
    {schemaVersion: 2, mediaType: $mt, artifactType: $at,
     config: {mediaType: $et, digest: $empty, size: 2, data: "e30="},
     layers: [{mediaType: $at, digest: $sbom, size: $size,
               annotations: {"org.opencontainers.image.title": "sbom.cdx.json"}}],
     subject: {mediaType: $mt, digest: $subject, size: $subjectsize},
     annotations: {"org.opencontainers.image.title": ("SBOM of berth/" + $svc)}}' > "$5/sbom-manifest.json"
  put_blob "$5/sbom-manifest.json"
}

# index.json: this run's images and SBOM artifacts replace the entries of the same name.
images_index() { # entries-file (ref digest size artifactType per line)
  local index=$IMAGES_LAYOUT/index.json new
  [[ -f $index ]] || echo '{"schemaVersion":2,"manifests":[]}' > "$index"
  new=$(jq -R -s -c --arg mt "$MT_MANIFEST" 'split("\n") | map(select(length > 0) | split(" ")
      | {mediaType: $mt, digest: .[1], size: (.[2] | tonumber), annotations: {"org.opencontainers.image.ref.name": .[0]}}
      + (if .[3] == "-" then {} else {artifactType: .[3]} end))' "$1")
  jq -c --argjson new "$new" --arg it "$MT_INDEX" '
    {schemaVersion: 2, mediaType: $it,
     manifests: ((.manifests | map(select(.annotations["org.opencontainers.image.ref.name"] as $r
                    | ($new | map(.annotations["org.opencontainers.image.ref.name"]) | index($r)) == null))) + $new
                 | sort_by(.annotations["org.opencontainers.image.ref.name"]))}' "$index" > "$index.new"
  mv "$index.new" "$index"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$IMAGES_LAYOUT/oci-layout"
}

# Deletes blobs that no manifest in index.json reaches (the layers of earlier builds).
images_prune() {
  local keep
  keep=$(jq -r '.manifests[].digest' "$IMAGES_LAYOUT/index.json" | while read -r m; do
    echo "$m"
    jq -r '.config.digest, .layers[].digest' "$IMAGES_LAYOUT/blobs/sha256/${m#sha256:}"
  done | sort -u)
  find "$IMAGES_LAYOUT/blobs/sha256" -type f | while read -r f; do
    grep -qx "sha256:$(basename "$f")" <<< "$keep" || rm -f "$f"
  done
}

# Builds the services reproducibly (the images profile: fixed times in every jar) when a source
# changed since, or when something else built them since (./berth up, ./berth test). The
# services' own build.stamp is left alone: these jars serve ./berth up as well.
images_build_services() {
  local stale= c
  for c in "${SERVICE_COMPONENTS[@]}"; do [[ -f $(service_jar "$c") ]] || stale=1; done
  [[ -f $IMAGES_STAMP ]] || stale=1
  [[ -n $stale ]] || [[ -n $(find "$BERTH_ROOT/pom.xml" "$BERTH_ROOT/libs" "$BERTH_ROOT/services" \
    -path '*/target' -prune -o -type f -newer "$IMAGES_STAMP" -print -quit) ]] && stale=1
  # A build without the profile since (./berth up, ./mvnw verify) rewrote the fast-jars.
  [[ -n $stale ]] || [[ -z $(find "$BERTH_ROOT"/services/*/target/quarkus-app/quarkus-run.jar -newer "$IMAGES_STAMP") ]] ||
    stale=1
  [[ -n $stale ]] || return 0
  say "building the services for the images (./mvnw -Pimages -DskipTests package)"
  mvn_quiet "build the services" -f "$BERTH_ROOT/pom.xml" -Pimages -Dberth.images.nested=true -DskipTests package
  mkdir -p "$IMAGES_DIR"
  touch "$IMAGES_STAMP"
}

images_build() { # build-services(0|1) rebuild-base(0|1) service...
  local build=$1 rebuild=$2 svc work t=$SECONDS m m_size s s_size
  shift 2
  require_packages jq unzip
  ((build)) && images_build_services
  images_base "$rebuild"
  work=$(mktemp -d)
  mkdir -p "$IMAGES_DIR/sbom"
  : > "$work/entries"
  for svc in "$@"; do
    read -r m m_size < <(images_service "$svc" "$work")
    [[ -n $m ]] || die "could not build the image of $svc"
    images_sbom "$svc" "$m" "$IMAGES_DIR/sbom/$svc.cdx.json"
    read -r s s_size < <(images_sbom_artifact "$svc" "$m" "$m_size" "$IMAGES_DIR/sbom/$svc.cdx.json" "$work/$svc")
    printf '%s %s %s -\n%s-sbom %s %s %s\n' "$svc" "$m" "$m_size" "$svc" "$s" "$s_size" "$MT_CYCLONEDX" >> "$work/entries"
    say "berth/$svc:$(images_version)  $m  (oci:$IMAGES_LAYOUT:$svc)"
  done
  images_index "$work/entries"
  images_prune
  rm -rf "$work"
  say "images built in $((SECONDS - t))s; SBOMs in $IMAGES_DIR/sbom"
}

# ---------------------------------------------------------------- --push
IMAGES_REGISTRY=${BERTH_IMAGES_REGISTRY:-127.0.0.1:$GATEWAY_PORT}
IMAGES_PROJECT=berth

# The project the images go to, made through auth's API when it is missing.
images_project() { # creds
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -u "$1" "http://$IMAGES_REGISTRY/api/v1/projects/$IMAGES_PROJECT")
  [[ $status == 200 ]] && return 0
  curl -sf -o /dev/null -u "$1" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$IMAGES_PROJECT\", \"public\": false}" "http://$IMAGES_REGISTRY/api/v1/projects" ||
    die "could not create project $IMAGES_PROJECT at $IMAGES_REGISTRY (HTTP $status when reading it)"
}

# One blob of the layout into a repository, unless the registry has it (a monolithic upload).
images_push_blob() { # creds repository digest
  local url=http://$IMAGES_REGISTRY/v2/$2/blobs
  [[ $(curl -s -o /dev/null -w '%{http_code}' -I -u "$1" "$url/$3") == 200 ]] && return 0
  curl -sf -o /dev/null -u "$1" -X POST -H 'Content-Type: application/octet-stream' \
    --data-binary "@$IMAGES_LAYOUT/blobs/sha256/${3#sha256:}" "$url/uploads/?digest=$3"
}

images_push() { # service...
  local creds=${BERTH_IMAGES_CREDS:-admin:$BERTH_ADMIN_PASSWORD} version svc sbom repo blob
  version=$(images_version)
  require_packages skopeo curl
  [[ $(curl -s -o /dev/null -w '%{http_code}' -u "$creds" "http://$IMAGES_REGISTRY/v2/") == 200 ]] ||
    die "the registry at $IMAGES_REGISTRY does not answer /v2/ with these credentials (is ./berth up running?)"
  images_project "$creds"
  for svc in "$@"; do
    repo=$IMAGES_PROJECT/$svc
    skopeo --insecure-policy copy --quiet --preserve-digests --dest-tls-verify=false --dest-creds "$creds" \
      "oci:$IMAGES_LAYOUT:$svc" "docker://$IMAGES_REGISTRY/$repo:$version" > "$BERTH_LOGS/images-push.log" 2>&1 ||
      die "could not push berth/$svc; see $BERTH_LOGS/images-push.log"
    # The SBOM artifact: skopeo copies images, so its two blobs and manifest go by the OCI API.
    sbom=$(jq -r --arg r "$svc-sbom" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' \
      "$IMAGES_LAYOUT/index.json")
    for blob in $(jq -r '.config.digest, .layers[].digest' "$IMAGES_LAYOUT/blobs/sha256/${sbom#sha256:}"); do
      images_push_blob "$creds" "$repo" "$blob" || die "could not push the SBOM of berth/$svc (blob $blob)"
    done
    curl -sf -o /dev/null -u "$creds" -X PUT -H "Content-Type: $MT_MANIFEST" \
      --data-binary "@$IMAGES_LAYOUT/blobs/sha256/${sbom#sha256:}" "http://$IMAGES_REGISTRY/v2/$repo/manifests/$sbom" ||
      die "could not push the SBOM of berth/$svc"
    say "pushed $IMAGES_REGISTRY/$repo:$version and its SBOM ($sbom)"
  done
}

cmd_images() {
  local push= build=1 rebuild=0 services=() a
  for a in "$@"; do
    case $a in
      --push) push=1 ;;
      --no-build) build=0 ;;
      --rebuild-base) rebuild=1 ;;
      -h | --help) usage; return 0 ;;
      -*) die "usage: ./berth images [--push] [--no-build] [--rebuild-base] [service...]" ;;
      *) [[ " ${SERVICE_COMPONENTS[*]} " == *" $a "* ]] || die "no such service: $a (one of: ${SERVICE_COMPONENTS[*]})"
         services+=("$a") ;;
    esac
  done
  ((${#services[@]})) || services=("${SERVICE_COMPONENTS[@]}")
  preflight
  images_build "$build" "$rebuild" "${services[@]}"
  [[ -z $push ]] || images_push "${services[@]}"
}
