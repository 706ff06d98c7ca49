#!/usr/bin/env bash
# Writes the manual page partnerpolicy.1 (and partnerpolicy.1.gz) with help2man from the
# program's own --help, so the page cannot say other than the program: the top-level help makes
# NAME, SYNOPSIS, DESCRIPTION and OPTIONS; each subcommand's whole --help (usage, flags,
# examples) a subsection of SUBCOMMANDS; the "Examples:" block of the top-level help, kept line
# by line, EXAMPLES. FILES and ENVIRONMENT come from cli/partnerpolicy.h2m.
# Usage: cli/man_page.sh PROGRAM STATIC_INCLUDE OUTPUT_DIR VERSION (a build step, cli/CMakeLists.txt)
set -euo pipefail
program=$1 static_include=$2 out=$3 version=$4
sections="$out/partnerpolicy-sections.h2m"

# Text as roff: backslashes and minus signs escaped, a line opening with '.' or "'" kept as text.
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
# The help text with the program's build path replaced by its name.
help_of() {
  local text
  text=$("$program" "$@" --help)
  printf '%s\n' "${text//"$program"/partnerpolicy}"
}

subcommands=$("$program" complete subcommands)
[ -n "$subcommands" ] || { echo "man_page.sh: $program lists no subcommands" >&2; exit 1; }
{
  echo "[SUBCOMMANDS]"
  printf '%s\n' "Each subcommand's own \\fB\\-\\-help\\fR:"
  for subcommand in $subcommands; do
    echo ".SS \"partnerpolicy $subcommand\""
    echo ".nf"
    help_of "$subcommand" | roff
    echo ".fi"
  done
  # The top-level examples: indented lines are commands, shown as they are (help2man would
  # fill them into one paragraph); the lines after them (exit codes) are paragraphs.
  echo "[=EXAMPLES]"
  literal=0
  while IFS= read -r line; do
    if [[ $line == "  "* ]]; then
      [ $literal = 1 ] || { echo ".PP"; echo ".nf"; literal=1; }
      printf '%s\n' "${line#  }" | roff
    else
      [ $literal = 0 ] || { echo ".fi"; literal=0; }
      echo ".PP"
      printf '%s\n' "$line" | roff
    fi
  done < <(help_of | awk 'on { print } /^Examples:/ { on = 1 }')
  [ $literal = 0 ] || echo ".fi"
} >"$sections"

# The page's date: help2man takes it from SOURCE_DATE_EPOCH when set (reproducible builds),
# else from today. Left unset, the date of the last commit of a git checkout is used, so two
# builds of one commit write the same page; outside a checkout, today.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  source_dir=$(dirname "$0")
  if commit_time=$(git -C "$source_dir" log -1 --format=%ct 2>/dev/null) && [ -n "$commit_time" ]; then
    export SOURCE_DATE_EPOCH=$commit_time
  fi
fi

help2man --no-info --no-discard-stderr --version-string="$version" \
  --name="check partner states against Microsoft AI Cloud Partner Program rules written in Lua" \
  --section=1 --include="$static_include" --include="$sections" \
  --output="$out/partnerpolicy.1" "$program"
gzip -9n -c "$out/partnerpolicy.1" >"$out/partnerpolicy.1.gz"
