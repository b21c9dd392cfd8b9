#!/usr/bin/env bash
# Mutation-tests the Rust code a change touched: cargo-mutants breaks each changed line in
# turn (`>=` for `>`, a function returning a default, a deleted match arm, ...) and runs the
# tests; a mutant the tests do not catch ("missed") is behaviour no test pins down.
#
# Usage:  tests/mutants.sh [BASE] [-- CARGO-MUTANTS-ARGS...]
#   BASE  what the change is measured against (default: origin/main, else main). The diff
#         runs from where this branch left BASE to the working tree, uncommitted edits
#         included, since cargo-mutants copies the working tree.
#   after --, arguments go to cargo-mutants as they are, e.g. `-- --list` (what would be
#   tried, no build), `-- -f src/domain/participant.rs` (one file of the diff only),
#   `-- --iterate` (only the mutants not caught last time).
#
# Environment:
#   MUTANTS_TESTS   cargo test targets, one word each (default: "--lib", the unit tests, built
#                   and run alone; e.g. "--lib --test tui_forms --test server" adds two).
#   MUTANTS_SHARD   k/n: only the k-th of n round-robin shards (to split a long run).
#   MUTANTS_JOBS    mutants built and tested at once (default 1: a build takes both cores).
#   MUTANTS_TIMEOUT seconds a test run may take before the mutant counts as a timeout (120).
#   MUTANTS_OUT     where mutants.out goes (default: target/mutants).
#   CARGO_TARGET_DIR  the build directory, kept between mutants and runs (default:
#                   target/mutants-build); a warm one makes each mutant an incremental build.
#
# Exit status: cargo-mutants' own: 0 all caught or unviable, 2 some missed, 3 some timed out,
# 4 the tests fail without any mutant. See docs/mutation-testing.md.
set -euo pipefail

base=""
if [[ $# -gt 0 && $1 != "--" ]]; then
    base=$1
    shift
fi
if [[ $# -gt 0 && $1 == "--" ]]; then
    shift
fi

root=$(git rev-parse --show-toplevel)
cd "$root"

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "mutants.sh: cargo-mutants is not installed: cargo install cargo-mutants --locked" >&2
    exit 1
fi

if [[ -z $base ]]; then
    if git rev-parse --verify --quiet origin/main >/dev/null; then
        base=origin/main
    else
        base=main
    fi
fi
git rev-parse --verify --quiet "$base" >/dev/null || {
    echo "mutants.sh: no such base: $base" >&2
    exit 1
}

out=${MUTANTS_OUT:-$root/target/mutants}
mkdir -p "$out"
diff=$out/change.diff
# From the merge base to the working tree; Rust sources only (tests are not mutated).
git diff --merge-base "$base" -- 'src/*.rs' >"$diff"
if [[ ! -s $diff ]]; then
    echo "mutants.sh: no Rust source changed since $base; nothing to mutate"
    exit 0
fi
echo "mutants.sh: the change since $(git rev-parse --short "$(git merge-base "$base" HEAD)") ($base):"
git diff --merge-base "$base" --stat -- 'src/*.rs' | sed 's/^/  /'

args=(
    --in-diff "$diff"
    --output "$out"
    --jobs "${MUTANTS_JOBS:-1}"
    --timeout "${MUTANTS_TIMEOUT:-120}"
    --build-timeout 900
    # The tests passed before the change was offered; without a baseline run each mutant
    # needs the timeout given above.
    --baseline skip
    # Release-built dependencies, this crate at opt-level 0: a mutant rebuilds in about a
    # minute instead of ten.
    --profile release
    --cargo-arg=--config=profile.release.package.atbalsts.opt-level=0
)
# `--cargo-arg`, not `-- --lib` after cargo-mutants' own `--`: that would reach the test
# binaries, and cargo would still build every integration test.
for t in ${MUTANTS_TESTS:---lib}; do
    args+=("--cargo-arg=$t")
done
if [[ -n ${MUTANTS_SHARD:-} ]]; then
    args+=(--shard "$MUTANTS_SHARD" --sharding round-robin)
fi

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/mutants-build}
export CARGO_INCREMENTAL=1
echo "mutants.sh: cargo mutants ${args[*]} $*"
exec cargo mutants "${args[@]}" "$@"
