#!/usr/bin/env python3
"""Regenerates the syscall-name and errno tables of src/Advisor.Linux/Syscalls from Linux UAPI headers.

    python3 eng/generate-syscall-tables.py                  # rewrite the three .cs files
    python3 eng/generate-syscall-tables.py --check          # exit 1 if they are out of date
    python3 eng/generate-syscall-tables.py --include-dir /path/to/linux-headers/include

The committed files are exactly this script's output, so refresh them by rerunning it (on a machine with
newer kernel headers installed, or with --include-dir pointing at `make headers_install` output) rather
than by editing them. Standard library only, so it runs anywhere Python 3.8+ does.

x86_64 comes from the kernel-generated asm/unistd_64.h, a flat list. arm64 has no such list in
userspace headers: it uses asm-generic/unistd.h, whose entries depend on preprocessor switches the arm64
uapi header sets before including it. Those switches are reproduced in ARM64_DEFINES below and the
generic header is run through a small preprocessor, so the 32/64-bit choices (__NR3264_*) resolve
exactly as the kernel's own build resolves them.
"""

import argparse
import os
import re
import sys

# What arch/arm64/include/uapi/asm/unistd.h defines before including asm-generic/unistd.h
# (Linux 5.14 onwards; clone3 since 5.3, memfd_secret since 5.14). __ARCH_WANT_SYNC_FILE_RANGE2
# is only set there for AArch32/ILP32, so 64-bit arm64 gets sync_file_range at 84.
ARM64_DEFINES = {
    "__ARCH_WANT_RENAMEAT": "1",
    "__ARCH_WANT_NEW_STAT": "1",
    "__ARCH_WANT_SET_GET_RLIMIT": "1",
    "__ARCH_WANT_TIME32_SYSCALLS": "1",
    "__ARCH_WANT_SYS_CLONE3": "1",
    "__ARCH_WANT_MEMFD_SECRET": "1",
    # Normally from asm/bitsperlong.h, which is not parsed: the include is ignored.
    "__BITS_PER_LONG": "64",
}

# Macros in the __NR_ namespace that are bookkeeping, not syscalls.
NOT_SYSCALLS = {"syscalls", "arch_specific_syscall"}

X86_64_HEADER = "x86_64-linux-gnu/asm/unistd_64.h"
GENERIC_HEADER = "asm-generic/unistd.h"
ERRNO_HEADERS = ("asm-generic/errno-base.h", "asm-generic/errno.h")

NAMESPACE = "Advisor.Linux.Syscalls"
SCRIPT_NAME = "eng/generate-syscall-tables.py"


class Preprocessor:
    """Just enough of cpp for the UAPI headers: #define/#undef and #if/#ifdef/#ifndef/#elif/#else/#endif.

    Expressions of #if are limited to defined(), integer comparisons and !, &&, ||; anything else
    is rejected rather than guessed, so a future header that needs more fails loudly.
    """

    def __init__(self, defines=None):
        self.defines = dict(defines or {})

    def run(self, path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        text = text.replace("\\\n", " ")

        # Each frame: (this branch active, some branch of this #if already taken, enclosing active)
        stack = []
        active = True
        for line in text.split("\n"):
            line = line.strip()
            if not line.startswith("#"):
                continue
            m = re.match(r"#\s*(\w+)\s*(.*)$", line)
            if not m:
                continue
            directive, rest = m.group(1), m.group(2).strip()
            if directive in ("if", "ifdef", "ifndef"):
                if directive == "ifdef":
                    cond = rest in self.defines
                elif directive == "ifndef":
                    cond = rest not in self.defines
                else:
                    cond = self._eval(rest) if active else False
                stack.append((active and cond, active and cond, active))
                active = active and cond
            elif directive == "elif":
                _, taken, outer = stack[-1]
                cond = outer and not taken and self._eval(rest)
                stack[-1] = (cond, taken or cond, outer)
                active = cond
            elif directive == "else":
                _, taken, outer = stack[-1]
                stack[-1] = (outer and not taken, True, outer)
                active = outer and not taken
            elif directive == "endif":
                _, _, outer = stack.pop()
                active = outer
            elif not active:
                continue
            elif directive == "define":
                d = re.match(r"(\w+)(\([^)]*\))?\s*(.*)$", rest)
                if d:
                    self.defines[d.group(1)] = None if d.group(2) else d.group(3).strip()
            elif directive == "undef":
                self.defines.pop(rest, None)
            elif directive in ("include", "error", "warning", "pragma"):
                pass
            else:
                raise ValueError(f"{path}: unsupported directive #{directive}")
        if stack:
            raise ValueError(f"{path}: unterminated #if")

    def value(self, name, depth=0):
        """The integer a macro expands to, following aliases (__NR_fcntl -> __NR3264_fcntl -> 25)."""
        v = self.defines.get(name)
        if v is None or depth > 16:
            return None
        if re.fullmatch(r"\d+", v):
            return int(v)
        if re.fullmatch(r"\w+", v):
            return self.value(v, depth + 1)
        return None

    def _eval(self, expr):
        expr = re.sub(r"defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)",
                      lambda m: "1" if (m.group(1) or m.group(2)) in self.defines else "0", expr)

        def ident(m):
            v = self.value(m.group(0))
            return str(v) if v is not None else "0"  # undefined identifiers are 0 in cpp
        expr = re.sub(r"\b[A-Za-z_]\w*\b", ident, expr)
        if not re.fullmatch(r"[\d\s()!=<>&|]*", expr):
            raise ValueError(f"unsupported #if expression: {expr}")
        expr = expr.replace("&&", " and ").replace("||", " or ")
        expr = re.sub(r"!(?!=)", " not ", expr)
        return bool(eval(expr, {"__builtins__": {}}, {}))  # input restricted to the characters above


def syscalls(pp):
    table = {}
    for name in pp.defines:
        if not name.startswith("__NR_"):
            continue
        short = name[len("__NR_"):]
        if short in NOT_SYSCALLS:
            continue
        nr = pp.value(name)
        if nr is None:
            continue
        if nr in table:
            raise ValueError(f"syscall {nr} is both {table[nr]} and {short}")
        table[nr] = short
    # Every 32/64-bit slot must have received its 64-bit name; a miss means the header changed shape.
    for name in pp.defines:
        if name.startswith("__NR3264_") and pp.value(name) not in table:
            raise ValueError(f"{name} has no 64-bit __NR_ alias")
    return table


def x86_64_table(include_dir):
    pp = Preprocessor()
    pp.run(os.path.join(include_dir, X86_64_HEADER))
    return syscalls(pp)


def arm64_table(include_dir):
    pp = Preprocessor(ARM64_DEFINES)
    pp.run(os.path.join(include_dir, GENERIC_HEADER))
    return syscalls(pp)


def errno_table(include_dir):
    pp = Preprocessor()
    for header in ERRNO_HEADERS:
        pp.run(os.path.join(include_dir, header))
    table = {}
    for name, v in pp.defines.items():
        # Aliases (EWOULDBLOCK -> EAGAIN, EDEADLOCK -> EDEADLK) are names, not numbers, so only
        # the canonical spelling of each value is kept.
        if re.fullmatch(r"E[A-Z0-9]+", name) and v is not None and re.fullmatch(r"\d+", v):
            nr = int(v)
            if nr in table:
                raise ValueError(f"errno {nr} is both {table[nr]} and {name}")
            table[nr] = name
    return table


def kernel_version(include_dir):
    pp = Preprocessor()
    path = os.path.join(include_dir, "linux/version.h")
    if not os.path.exists(path):
        return None
    pp.run(path)
    parts = [pp.value(f"LINUX_VERSION_{p}") for p in ("MAJOR", "PATCHLEVEL", "SUBLEVEL")]
    if None in parts:
        code = pp.value("LINUX_VERSION_CODE")
        if code is None:
            return None
        parts = [code >> 16, (code >> 8) & 0xFF, code & 0xFF]
    return ".".join(str(p) for p in parts)


def render(class_name, summary, sources, version, table):
    headers = f"Linux {version} UAPI headers" if version else "Linux UAPI headers"
    lines = [
        "// <auto-generated>",
        f"//   Generated by {SCRIPT_NAME} from {headers}:",
    ]
    lines += [f"//     {source}" for source in sources]
    lines += [
        "//   Do not edit by hand: rerun the script to refresh it.",
        "// </auto-generated>",
        "#nullable enable",
        "",
        f"namespace {NAMESPACE};",
        "",
        f"/// <summary>{summary}</summary>",
        f"internal static class {class_name}",
        "{",
        "    public static IReadOnlyDictionary<int, string> Names { get; } = new Dictionary<int, string>",
        "    {",
    ]
    lines += [f'        {{ {nr}, "{name}" }},' for nr, name in sorted(table.items())]
    lines += ["    };", "}", ""]
    return "\n".join(lines)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--include-dir", default="/usr/include",
                        help="root of the installed kernel UAPI headers (default: /usr/include)")
    parser.add_argument("--out-dir", default=os.path.join(here, "..", "src", "Advisor.Linux", "Syscalls"))
    parser.add_argument("--check", action="store_true", help="verify the files are current instead of writing")
    args = parser.parse_args()

    inc = args.include_dir
    version = kernel_version(inc)
    arm64_flags = ", ".join(k for k in ARM64_DEFINES if k.startswith("__ARCH_WANT_"))
    outputs = {
        "X86_64Syscalls.cs": render(
            "X86_64Syscalls",
            "Syscall numbers of the x86_64 64-bit ABI and the names strace prints for them.",
            [os.path.join(inc, X86_64_HEADER)], version, x86_64_table(inc)),
        "Arm64Syscalls.cs": render(
            "Arm64Syscalls",
            "Syscall numbers of arm64 (aarch64): the asm-generic table with 64-bit names and the switches "
            "arch/arm64/include/uapi/asm/unistd.h sets.",
            [os.path.join(inc, GENERIC_HEADER),
             "preprocessed as arm64 includes it: __BITS_PER_LONG 64,",
             "  " + arm64_flags],
            version, arm64_table(inc)),
        "Errnos.cs": render(
            "Errnos",
            "errno values of x86_64 and arm64 (both asm-generic), one canonical name per number.",
            [os.path.join(inc, h) for h in ERRNO_HEADERS], version, errno_table(inc)),
    }

    stale = []
    for file_name, text in outputs.items():
        path = os.path.normpath(os.path.join(args.out_dir, file_name))
        current = None
        if os.path.exists(path):
            with open(path, encoding="utf-8", newline="") as f:
                current = f.read()
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print(f"wrote {path}")
    if args.check and stale:
        print("out of date (rerun " + SCRIPT_NAME + "):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
