#!/usr/bin/env python3
"""Marks one symbol-version need of an ELF64 shared library weak, in place.

Usage: weaken_version_need.py LIBRARY VERSION   (e.g. libLibTorchSharp.so GLIBCXX_3.4.32)

The dynamic loader refuses a library whose .gnu.version_r asks for a version that no loaded library defines,
unless that Vernaux entry carries VER_FLG_WEAK. TorchSharp's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13)
only for std::ios_base_library_init, which no relocation references, so on Debian 12 (GCC 12's libstdc++) the need
can be weak without changing what the library does. Run it on a build output's copy, never on the NuGet cache's.
Idempotent; prints what it did.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def main(path, version):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit(f"{path}: not a little-endian ELF64 file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        verneed = [s for s in sections if s[1] == SHT_GNU_VERNEED]
        if not verneed:
            sys.exit(f"{path}: no .gnu.version_r section")
        _, _, _, _, off, _, link, count, _, _ = verneed[0]
        strtab_off = sections[link][4]

        def name(o):
            end = data.index(b"\0", strtab_off + o)
            return data[strtab_off + o:end].decode()

        changed = found = 0
        vn = off
        for _ in range(count):
            _, cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, vn)
            va = vn + vn_aux
            for _ in range(cnt):
                _, flags, other, vna_name, vna_next = struct.unpack_from("<IHHII", data, va)
                if name(vna_name) == version:
                    found += 1
                    if not flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, va + 4, flags | VER_FLG_WEAK)
                        changed += 1
                    print(f"{path}: {name(vn_file)} {version} (index {other & 0x7FFF}) "
                          f"{'marked weak' if changed else 'already weak'}")
                if vna_next == 0:
                    break
                va += vna_next
            if vn_next == 0:
                break
            vn += vn_next
        if not found:
            print(f"{path}: needs no {version}; left as it is")
        if changed:
            f.seek(0)
            f.write(data)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
