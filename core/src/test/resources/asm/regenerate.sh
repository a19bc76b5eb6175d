#!/bin/sh
# Regenerates the golden llvm-objdump listings in this directory from their .s sources.
#
# For each NAME.s: llvm-mc assembles it (BPF little endian, cpu v4), then
#   NAME.objdump  is what `llvm-objdump -d --mcpu=v4` prints (--mcpu=v4 makes LLVM print 32-bit
#                 registers for 32-bit loads, stores and atomics, and decode the 32-bit fetch atomics,
#                 which the generic cpu prints as <unknown>);
#   NAME.hex      is the .text section's bytes, 8 per line.
# GoldenListingTest compares Disassembler.listing with NAME.objdump, and Assembler with NAME.hex,
# so the tests need no LLVM at run time.
#
# encodings.s and deviations.s are generated from ValidInstructions by GoldenSources; when the
# test classes are built (mvn -pl core test-compile) this script rewrites them first.
#
# Needs LLVM 19 (Debian: apt-get install -y llvm-19). Run from anywhere: sh regenerate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
core=$(cd "$here/../../../.." && pwd)
MC=${LLVM_MC:-llvm-mc-19}
OBJDUMP=${LLVM_OBJDUMP:-llvm-objdump-19}
OBJCOPY=${LLVM_OBJCOPY:-llvm-objcopy-19}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ -d "$core/target/test-classes" ]; then
    "$JAVA" -cp "$core/target/classes:$core/target/test-classes" org.bpf4j.core.asm.GoldenSources "$here"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for source in "$here"/*.s; do
    name=$(basename "$source" .s)
    "$MC" -triple bpfel -mcpu=v4 -filetype=obj "$source" -o "$work/$name.o"
    # Run inside the work directory so that the header names the object file without a path.
    (cd "$work" && "$OBJDUMP" -d --mcpu=v4 "$name.o") > "$here/$name.objdump"
    "$OBJCOPY" -O binary --only-section=.text "$work/$name.o" "$work/$name.bin"
    od -An -v -tx1 -w8 "$work/$name.bin" | sed 's/^ *//' > "$here/$name.hex"
done
"$MC" --version | sed -n 's/^ *\(.*LLVM version.*\)/\1/p' > "$here/llvm-version.txt"
