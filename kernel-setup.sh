#!/usr/bin/env bash
# kernel-setup.sh: installs everything needed to run the ecco-go notebooks:
# Jupyter (from the distribution's packages), the GoNB Go kernel (the version
# go.mod names), goimports and gopls, then registers GoNB with Jupyter
# (`gonb --install`) and makes the kernel build cells with GOEXPERIMENT=simd
# (the fast matrix products) through the "env" of its kernel.json.
#
# Each step prints when it starts and ends, with its duration. A first run
# takes a few minutes (apt packages ~1-3 min, compiling gonb/goimports/gopls
# ~1-3 min); a second run only checks versions and prints "already installed".
# Supported: Debian/Ubuntu, run as root or as a user with sudo. Requires Go
# (the version in go.mod) on PATH or in /usr/local/go/bin.
#
# Versions are pinned because the module proxy used in CI only serves exact
# versions (`@latest` is refused).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# GoNB must be the version go.mod requires: notebooks build against that module graph.
GONB_VERSION="$(awk '$1 == "github.com/janpfeifer/gonb" { print $2; exit }' "${REPO_DIR}/go.mod")"
X_TOOLS_VERSION="v0.52.0" # golang.org/x/tools, provides cmd/goimports
GOPLS_VERSION="v0.23.0"   # golang.org/x/tools/gopls
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client)

say() { printf '[kernel-setup] %s\n' "$*"; }
die() {
	printf '[kernel-setup] ERROR: %s\n' "$*" >&2
	exit 1
}
[[ -n "${GONB_VERSION}" ]] || die "${REPO_DIR}/go.mod does not require github.com/janpfeifer/gonb"

# step NAME starts a timed step (ending the previous one); step_end ends it.
STEP_NAME=""
STEP_START=0
SETUP_START="${SECONDS}"
step_end() {
	[[ -n "${STEP_NAME}" ]] || return 0
	say "done: ${STEP_NAME} ($((SECONDS - STEP_START)) s)"
	STEP_NAME=""
}
step() {
	step_end
	STEP_NAME="$*"
	STEP_START="${SECONDS}"
	say "start: ${STEP_NAME}"
}

ORIGINAL_PATH="${PATH}"
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
	command -v sudo >/dev/null || die "not root and sudo is missing: re-run as root"
	SUDO=(sudo)
fi

# --- Go toolchain ---------------------------------------------------------
step "check Go"
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="/usr/local/go/bin:${PATH}"
fi
command -v go >/dev/null || die "Go is not installed: get it from https://go.dev/dl/ (version in go.mod) and re-run"

# Binaries go where a shell already looks: /usr/local/bin for root,
# $(go env GOPATH)/bin otherwise (the user may have to add it to PATH).
if [[ "$(id -u)" -eq 0 ]]; then
	BIN_DIR="/usr/local/bin"
else
	BIN_DIR="$(go env GOPATH)/bin"
fi
mkdir -p "${BIN_DIR}"
export PATH="${BIN_DIR}:${PATH}"

# --- Jupyter from apt -------------------------------------------------------
is_deb_installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# apt_get runs apt-get, waiting for the dpkg/apt locks instead of failing: a
# background apt-get may still be running right after a machine boots.
# DPkg::Lock::Timeout covers the dpkg lock; the retry loop covers the lists lock
# taken by `apt-get update`, which that option does not wait for.
apt_get() {
	local attempt out
	for attempt in $(seq 1 60); do
		if out="$("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1)"; then
			printf '%s\n' "${out}" | tail -n 3
			return 0
		fi
		if ! grep -qiE 'could not get lock|unable to lock|is another process using it' <<<"${out}"; then
			printf '%s\n' "${out}" >&2
			return 1
		fi
		say "apt is locked by another process, waiting (attempt ${attempt}/60)..."
		sleep 10
	done
	die "apt stayed locked for 10 minutes: apt-get $*"
}

step "Jupyter from apt (${APT_PACKAGES[*]}; 1-3 min when missing)"
missing_packages=()
for pkg in "${APT_PACKAGES[@]}"; do
	is_deb_installed "${pkg}" || missing_packages+=("${pkg}")
done
if [[ ${#missing_packages[@]} -eq 0 ]]; then
	say "Jupyter packages already installed: ${APT_PACKAGES[*]}"
else
	command -v apt-get >/dev/null || die "apt-get not found: install Jupyter (notebook, nbconvert, nbclient, ipykernel) by hand"
	say "installing with apt: ${missing_packages[*]}"
	apt_get update -q
	apt_get install -y -q --no-install-recommends "${missing_packages[@]}"
fi

# --- Go binaries --------------------------------------------------------------

# installed_version prints the main module version recorded in a Go binary
# (empty when the binary is missing or was not built from a module).
installed_version() {
	local bin="${BIN_DIR}/$1"
	[[ -x "${bin}" ]] || return 0
	go version -m "${bin}" 2>/dev/null | awk '$1 == "mod" { print $3 }' || true
}

# install_tool BINARY PACKAGE VERSION installs PACKAGE at VERSION from a
# throwaway module of its own: `go get -tool` pins the exact version in go.mod,
# which works with a proxy that refuses version queries such as @latest.
install_tool() {
	local bin="$1" pkg="$2" version="$3" have tools_dir log
	have="$(installed_version "${bin}")"
	if [[ "${have}" == "${version}" ]]; then
		say "${bin} ${version} already installed in ${BIN_DIR}"
		return 0
	fi
	say "installing ${bin} ${version} (${pkg}) into ${BIN_DIR}${have:+ (replacing ${have})}"
	tools_dir="$(mktemp -d -t ecco-kernel-tools.XXXXXX)"
	log="${tools_dir}.log"
	# Chained with && because `set -e` is off inside a function called with ||.
	if ! (cd "${tools_dir}" && go mod init "install-${bin}" &&
		go get -tool "${pkg}@${version}" && GOBIN="${BIN_DIR}" go install "${pkg}") >"${log}" 2>&1; then
		cat "${log}" >&2
		say "failed to install ${pkg}@${version}: is the Go module proxy reachable? (GOPROXY=$(go env GOPROXY))" >&2
		rm -rf "${tools_dir}" "${log}"
		return 1
	fi
	rm -rf "${tools_dir}" "${log}"
}

step "gonb ${GONB_VERSION} (compiles in ~1 min when missing)"
install_tool gonb github.com/janpfeifer/gonb "${GONB_VERSION}" || die "cannot install gonb"
step "goimports ${X_TOOLS_VERSION}"
install_tool goimports golang.org/x/tools/cmd/goimports "${X_TOOLS_VERSION}" || die "cannot install goimports"
step "gopls ${GOPLS_VERSION} (compiles in ~1 min when missing)"
# gopls only powers auto-complete in the notebook UI: without it GoNB still
# runs cells, so a failure here is a warning and `gonb --install --force_deps`.
GOPLS_OK=1
if ! install_tool gopls golang.org/x/tools/gopls "${GOPLS_VERSION}"; then
	GOPLS_OK=0
	say "WARNING: gopls not installed; auto-complete in notebooks will be unavailable"
fi

# --- Register the kernel --------------------------------------------------------
step "register the GoNB kernel with Jupyter"
jupyter_data_dir="$(jupyter --data-dir)"
kernel_json="${jupyter_data_dir}/kernels/gonb/kernel.json"
# kernel_argv0 prints the binary a kernel.json starts (empty when unreadable).
kernel_argv0() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' "${kernel_json}" 2>/dev/null || true
}
# A kernel.json pointing at another gonb binary is rewritten.
if [[ -f "${kernel_json}" && "$(kernel_argv0)" == "${BIN_DIR}/gonb" ]]; then
	say "GoNB kernel already installed: ${kernel_json}"
else
	gonb_flags=(--install)
	[[ "${GOPLS_OK}" -eq 1 ]] || gonb_flags+=(--force_deps)
	"${BIN_DIR}/gonb" "${gonb_flags[@]}"
	[[ -f "${kernel_json}" ]] || die "gonb --install did not create ${kernel_json}"
	say "GoNB kernel installed: ${kernel_json}"
fi
jupyter kernelspec list 2>/dev/null | grep "^ *gonb " >/dev/null || die "jupyter kernelspec list does not show gonb"

# GoNB builds every cell with `go build`: GOEXPERIMENT=simd in the kernel's
# environment turns on gomlx/compute's SIMD matrix products (about 10x faster)
# for notebook cells only, leaving the user's other Go builds as they are.
step "fast path for notebook cells (GOEXPERIMENT=simd in kernel.json)"
simd_change="$(python3 - "${kernel_json}" <<'PY'
import json, os, sys
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
env = spec.setdefault("env", {})
if env.get("GOEXPERIMENT") == "simd":
    print("unchanged")
    sys.exit(0)
before = env.get("GOEXPERIMENT")
env["GOEXPERIMENT"] = "simd"
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=1)
os.replace(tmp, path)
print("was " + repr(before) if before is not None else "added")
PY
)" || die "cannot update ${kernel_json}"
if [[ "${simd_change}" == "unchanged" ]]; then
	say "kernel.json already sets GOEXPERIMENT=simd: ${kernel_json}"
else
	say "changed ${kernel_json}: \"env\": {\"GOEXPERIMENT\": \"simd\"} (${simd_change})"
	say "  undo: delete the \"GOEXPERIMENT\" entry of \"env\" in that file (or re-run \`gonb --install\`)"
fi
step_end

# --- Summary ----------------------------------------------------------------------
say "versions:"
printf '  %-10s %s\n' go "$(go env GOVERSION)"
printf '  %-10s %s\n' jupyter "$(jupyter notebook --version 2>/dev/null) (notebook), $(jupyter nbconvert --version 2>/dev/null) (nbconvert)"
for bin in gonb goimports gopls; do
	printf '  %-10s %s\n' "${bin}" "$(installed_version "${bin}") ${BIN_DIR}/${bin}"
done
say "total: $((SECONDS - SETUP_START)) s"
go_dir="$(dirname "$(command -v go)")"
if [[ ":${ORIGINAL_PATH}:" != *":${go_dir}:"* ]]; then
	say "add ${go_dir} to PATH before starting Jupyter: GoNB runs \`go\` from Jupyter's PATH"
fi
if [[ ":${ORIGINAL_PATH}:" != *":${BIN_DIR}:"* ]]; then
	say "add ${BIN_DIR} to PATH (e.g. in ~/.profile): export PATH=\"${BIN_DIR}:\$PATH\""
fi
# Jupyter refuses to start as root without --allow-root (containers often run as root).
jupyter_cmd="jupyter notebook ${REPO_DIR}/notebooks/"
if [[ "$(id -u)" -eq 0 ]]; then
	jupyter_cmd="jupyter notebook --allow-root ${REPO_DIR}/notebooks/"
fi
say "offline first run (bundled tiny model, no download):"
printf '  ECCO_MODEL=%s %s\n' "${REPO_DIR}/tests/testdata/models/tiny-a" "${jupyter_cmd}"
say "with distilgpt2 from the HuggingFace cache (downloaded once):"
printf '  %s\n' "${jupyter_cmd}"
