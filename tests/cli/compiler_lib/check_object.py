"""Checks on a BPF ELF object, shared by test_compiler_lib.py and
test_cli.py's DebTest: ELF64 little-endian relocatable, machine EM_BPF (247),
and the names of its sections."""
import struct

EM_BPF = 247


def elf_sections(path):
    """(e_machine, e_type, [section names]) of an ELF64 LE file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not an ELF64 little-endian file")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    shdrs = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize)
             for i in range(e_shnum)]
    str_off = shdrs[e_shstrndx][4]
    names = []
    for sh in shdrs:
        start = str_off + sh[0]
        names.append(data[start:data.index(b"\0", start)].decode())
    return e_machine, e_type, names


def check_bpf_object(testcase, path, section):
    """The object is a relocatable BPF ELF with the program section `section`
    and BTF."""
    machine, etype, names = elf_sections(path)
    testcase.assertEqual(machine, EM_BPF)
    testcase.assertEqual(etype, 1)  # ET_REL
    testcase.assertIn(section, names)
    testcase.assertIn(".BTF", names)
