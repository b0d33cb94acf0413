"""The emulated target's parts on the host, without QEMU: the ELF reader,
library and module resolution, the cpio writer, the RAM-disk plan and its
cache key, host package checks, the QEMU command line and the CLI glue.
The real boot is tests/test_emulate_target.py."""

import gzip
import json
import pathlib
import signal
import stat
import struct
import subprocess

import pytest

from pynq_remote import emulate
from pynq_remote.emulate import (artifacts, cache_folder, cpio, device_trees, elf, emulator,
                                 host, packages, ramdisk, zynq_kernel)
from cli_runner import run_cli

GUEST = pathlib.Path(emulate.__file__).parent / "guest"
EM_X86_64 = 62


def make_elf(machine=elf.EM_AARCH64, interpreter="", needed=(), runpath="",
             sections=()):
    """A minimal 64-bit little-endian ELF file: one PT_LOAD covering it all,
    optional PT_INTERP, a PT_DYNAMIC with NEEDED/RUNPATH, and ``sections``
    as (name, bytes) pairs."""
    base = 0x400000
    strtab = b"\0"
    offsets = []
    for name in list(needed) + ([runpath] if runpath else []):
        offsets.append(len(strtab))
        strtab += name.encode() + b"\0"
    interp = interpreter.encode() + b"\0" if interpreter else b""
    phnum = 3 if interp else 2
    interp_off = 64 + phnum * 56
    strtab_off = interp_off + len(interp)
    dyn_off = strtab_off + len(strtab)
    dynamic = [(1, off) for off in offsets[:len(needed)]]
    if runpath:
        dynamic.append((29, offsets[-1]))
    dynamic += [(5, base + strtab_off), (0, 0)]
    dyn = b"".join(struct.pack("<qQ", t, v) for t, v in dynamic)
    body_off = dyn_off + len(dyn)
    shstr = b"\0" + b"".join(n.encode() + b"\0" for n, _ in sections) + b".shstrtab\0"
    data, sec_headers, name_off, off = b"", [], 1, body_off
    sec_headers.append(struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    for name, payload in sections:
        sec_headers.append(struct.pack("<IIQQQQIIQQ", name_off, 1, 0, 0, off, len(payload),
                                       0, 0, 1, 0))
        name_off += len(name) + 1
        data += payload
        off += len(payload)
    sec_headers.append(struct.pack("<IIQQQQIIQQ", name_off, 3, 0, 0, off, len(shstr),
                                   0, 0, 1, 0))
    data += shstr
    shoff = body_off + len(data)
    total = shoff + 64 * len(sec_headers)
    header = (b"\x7fELF\x02\x01\x01" + b"\0" * 9
              + struct.pack("<HHIQQQIHHHHHH", 3, machine, 1, 0, 64, shoff, 0, 64, 56,
                            phnum, 64, len(sec_headers), len(sec_headers) - 1))
    phdrs = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, total, total, 0x1000)
    if interp:
        phdrs += struct.pack("<IIQQQQQQ", 3, 4, interp_off, base + interp_off, 0,
                             len(interp), len(interp), 1)
    phdrs += struct.pack("<IIQQQQQQ", 2, 6, dyn_off, base + dyn_off, 0, len(dyn),
                         len(dyn), 8)
    return header + phdrs + interp + strtab + dyn + data + b"".join(sec_headers)


def write(path, data, mode=0o644):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


def module(name, depends=""):
    info = f"license=GPL\0depends={depends}\0name={name}\0".encode()
    return make_elf(sections=[(".text", b"\0" * 8), (".modinfo", info)])


def read_newc(data):
    """(name, mode, (rdevmajor, rdevminor), bytes) of every entry of a newc archive."""
    entries, offset = [], 0
    while True:
        assert data[offset:offset + 6] == b"070701"
        fields = [int(data[offset + 6 + 8 * i:offset + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name_start = offset + 110
        name = data[name_start:name_start + namesize - 1].decode()
        data_start = (name_start + namesize + 3) & ~3
        if name == "TRAILER!!!":
            assert len(data) == (data_start + 3) & ~3
            return entries
        entries.append((name, mode, (fields[9], fields[10]),
                        data[data_start:data_start + size]))
        offset = (data_start + size + 3) & ~3


# ELF

def test_read_elf_reads_machine_interpreter_needed_and_runpath():
    info = elf.read_elf(make_elf(interpreter="/lib/ld-linux-aarch64.so.1",
                                 needed=("libgrpc++.so.1.51", "libc.so.6"),
                                 runpath="$ORIGIN/../lib:/opt/lib"))
    assert info == elf.ElfInfo(elf.EM_AARCH64, "/lib/ld-linux-aarch64.so.1",
                               ("libgrpc++.so.1.51", "libc.so.6"),
                               ("$ORIGIN/../lib", "/opt/lib"))


def test_read_elf_of_a_static_executable_has_no_interpreter_or_needed():
    info = elf.read_elf(make_elf())
    assert (info.interpreter, info.needed, info.runpath) == ("", (), ())


@pytest.mark.parametrize("data, message", [
    (b"#!/bin/sh\n", "not an ELF file"),
    (b"\x7fELF\x03\x01" + b"\0" * 60, "not a little-endian ELF file"),
    (b"\x7fELF\x02\x02" + b"\0" * 60, "not a little-endian ELF file"),
    (make_elf(needed=("libc.so.6",))[:80], "truncated"),
])
def test_read_elf_rejects_what_it_cannot_read(data, message):
    with pytest.raises(elf.ElfError, match=message):
        elf.read_elf(data, "thing")


def test_module_info_reads_name_and_depends():
    info = elf.module_info(module("virtio_net", "net_failover"))
    assert (info["name"], info["depends"]) == ("virtio_net", "net_failover")


def test_module_info_of_a_file_without_modinfo_is_an_error():
    with pytest.raises(elf.ElfError, match="x.ko: not a kernel module"):
        elf.module_info(make_elf(), "x.ko")


# Shared libraries

def test_needed_libraries_follows_needed_entries_and_leaves_the_loader_out(tmp_path):
    first, second = tmp_path / "lib", tmp_path / "usr-lib"
    loader = write(tmp_path / "ld-linux-aarch64.so.1", make_elf())
    server = write(tmp_path / "server", make_elf(
        interpreter=str(loader), needed=("libA.so.1", "libc.so.6")))
    write(first / "libA.so.1", make_elf(needed=("libB.so.2", "ld-linux-aarch64.so.1")))
    write(first / "libB.so.2", make_elf(machine=EM_X86_64))  # the wrong machine
    write(second / "libB.so.2", make_elf(needed=("libc.so.6",)))
    write(second / "libc.so.6", make_elf(needed=("ld-linux-aarch64.so.1",)))
    interpreter, libraries = ramdisk.needed_libraries(server, [first, second])
    assert interpreter == str(loader)
    assert libraries == {"libA.so.1": first / "libA.so.1", "libB.so.2": second / "libB.so.2",
                         "libc.so.6": second / "libc.so.6"}


def test_needed_libraries_searches_runpath_first_with_origin(tmp_path):
    server = write(tmp_path / "bin" / "server",
                   make_elf(needed=("libA.so.1",), runpath="$ORIGIN/../private"))
    write(tmp_path / "private" / "libA.so.1", make_elf())
    write(tmp_path / "system" / "libA.so.1", make_elf())
    _, libraries = ramdisk.needed_libraries(server, [tmp_path / "system"])
    assert libraries == {"libA.so.1": (tmp_path / "private" / "libA.so.1").resolve()}


def test_a_missing_library_is_named_with_what_needs_it(tmp_path):
    write(tmp_path / "libA.so.1", make_elf(needed=("libgone.so.3",)))
    server = write(tmp_path / "server", make_elf(needed=("libA.so.1",)))
    with pytest.raises(ramdisk.LibraryNotFound,
                       match=r"libgone.so.3 \(needed by libA.so.1\) is in none of"):
        ramdisk.needed_libraries(server, [tmp_path])


# Kernel modules

def test_resolve_modules_puts_dependencies_first_and_skips_built_in_ones(tmp_path):
    tree = tmp_path / "6.1.0-50-arm64"
    write(tree / "kernel/drivers/net/virtio_net.ko", module("virtio_net", "net_failover"))
    write(tree / "kernel/drivers/net/net_failover.ko", module("net_failover", "failover"))
    write(tree / "kernel/net/core/failover.ko", module("failover"))
    write(tree / "kernel/drivers/virtio/virtio_pci.ko",
          module("virtio_pci", "virtio_pci_modern_dev,virtio_ring"))
    write(tree / "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
          module("virtio_pci_modern_dev"))
    write(tree / "modules.builtin", b"kernel/drivers/virtio/virtio_ring.ko\n")
    assert packages.resolve_modules(tree, ["virtio_pci", "virtio-net"]) == [
        "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
        "kernel/drivers/virtio/virtio_pci.ko",
        "kernel/net/core/failover.ko",
        "kernel/drivers/net/net_failover.ko",
        "kernel/drivers/net/virtio_net.ko",
    ]


def test_resolve_modules_names_a_missing_dependency(tmp_path):
    write(tmp_path / "kernel/a.ko", module("a", "b"))
    with pytest.raises(packages.PackageError, match=r"kernel module b \(needed by a\)"):
        packages.resolve_modules(tmp_path, ["a"])


def test_a_downloaded_deb_is_taken_from_the_cache(tmp_path, monkeypatch):
    cached = write(tmp_path / "debs" / "busybox-static_1.35.0-4_arm64.deb", b"deb")
    monkeypatch.setattr(packages.subprocess, "run", lambda *a, **k: pytest.fail("ran apt"))
    assert packages.fetch_deb(tmp_path, "busybox-static", "1:1.35.0-4") == cached


# cpio

def test_cpio_archive_is_newc_with_parents_devices_and_symlinks():
    archive = cpio.CpioArchive()
    archive.file("etc/init.d/rcS", b"#!/bin/sh\n", 0o755)
    archive.symlink("init", "bin/busybox")
    archive.char_device("dev/console", 5, 1)
    data = bytes(archive)
    entries = read_newc(data)
    assert [(name, stat.filemode(mode)) for name, mode, _, _ in entries] == [
        ("etc", "drwxr-xr-x"), ("etc/init.d", "drwxr-xr-x"),
        ("etc/init.d/rcS", "-rwxr-xr-x"), ("init", "lrwxrwxrwx"), ("dev", "drwxr-xr-x"),
        ("dev/console", "crw-------")]
    assert entries[2][3] == b"#!/bin/sh\n"
    assert entries[3][3] == b"bin/busybox"
    assert entries[5][2] == (5, 1)
    assert data == bytes(archive)  # no times, owners or inode numbers from the host


def test_cpio_refuses_a_name_twice():
    archive = cpio.CpioArchive()
    archive.file("a", b"")
    with pytest.raises(ValueError, match="already in the archive"):
        archive.file("a", b"")


# The RAM-disk

class FakeKernel:
    def __init__(self, folder):
        self.modules = [write(folder / "failover.ko", module("failover")),
                        write(folder / "net_failover.ko", module("net_failover", "failover"))]
        self.release = "6.1.0-50-arm64"


@pytest.fixture
def parts(tmp_path):
    loader = write(tmp_path / "sysroot" / "ld-linux-aarch64.so.1", make_elf(), 0o755)
    libs = tmp_path / "sysroot" / "lib"
    write(libs / "libgrpc++.so.1.51", make_elf(needed=("libc.so.6",)))
    write(libs / "libc.so.6", make_elf())
    write(libs / "libunused.so.1", make_elf())
    server = write(tmp_path / "pynq-remote-server", make_elf(
        interpreter=str(loader), needed=("libgrpc++.so.1.51",)), 0o755)
    busybox = write(tmp_path / "busybox", make_elf(), 0o755)
    return server, busybox, FakeKernel(tmp_path / "modules"), [libs]


def test_ramdisk_holds_init_busybox_the_server_its_libraries_and_the_modules(parts):
    server, busybox, kernel, libs = parts
    entries = {e.path: e for e in ramdisk.plan(server, busybox, kernel, libs)}
    assert entries["init"].data == b"bin/busybox"
    assert entries["bin/sh"].data == b"busybox"
    assert entries["dev/console"].device == (5, 1)
    assert entries["usr/bin/pynq-remote-server"].mode == 0o755
    assert entries[str(parts[0].parent / "sysroot" / "ld-linux-aarch64.so.1").lstrip("/")]
    assert sorted(p for p in entries if p.startswith("lib/aarch64-linux-gnu/")) == [
        "lib/aarch64-linux-gnu/libc.so.6", "lib/aarch64-linux-gnu/libgrpc++.so.1.51"]
    assert entries["etc/modules"].data == b"failover.ko\nnet_failover.ko\n"
    assert entries["etc/init.d/pynq-remote"].data == (GUEST / "pynq-remote").read_bytes()
    assert entries["etc/inittab"].data == (GUEST / "inittab").read_bytes()


def test_ramdisk_key_follows_contents_and_the_archive_is_reproducible(parts, tmp_path):
    server, busybox, kernel, libs = parts
    first = ramdisk.plan(server, busybox, kernel, libs)
    assert ramdisk.key(first) == ramdisk.key(ramdisk.plan(server, busybox, kernel, libs))
    size = ramdisk.write(first, tmp_path / "a.cpio.gz")
    ramdisk.write(first, tmp_path / "b.cpio.gz")
    assert (tmp_path / "a.cpio.gz").read_bytes() == (tmp_path / "b.cpio.gz").read_bytes()
    assert size == (tmp_path / "a.cpio.gz").stat().st_size
    unpacked = read_newc(gzip.decompress((tmp_path / "a.cpio.gz").read_bytes()))
    names, planned = {name for name, *_ in unpacked}, {e.path for e in first}
    assert planned <= names  # and the rest are their parent folders:
    assert all(any(p.startswith(n + "/") for p in planned) for n in names - planned)
    write(busybox, make_elf(needed=("libc.so.6",)), 0o755)
    assert ramdisk.key(ramdisk.plan(server, busybox, kernel, libs)) != ramdisk.key(first)


def test_build_reuses_the_cached_ramdisk_until_an_input_changes(parts, tmp_path,
                                                                monkeypatch):
    server, busybox, kernel, libs = parts
    kernel.image = write(tmp_path / "vmlinuz", b"Image")
    monkeypatch.setattr(artifacts, "target_server", lambda cache, progress: server)
    monkeypatch.setattr(artifacts, "stripped", lambda path, cache: path)
    monkeypatch.setattr(artifacts.packages, "busybox", lambda cache, arch: busybox)
    monkeypatch.setattr(artifacts.packages, "kernel", lambda cache, modules: kernel)
    monkeypatch.setattr(artifacts.host, "require", lambda *a, **k: None)
    plan = ramdisk.plan
    monkeypatch.setattr(artifacts.ramdisk, "plan",
                        lambda *a, **k: plan(*a[:3], libs, **k))
    steps = []
    first = artifacts.build(tmp_path / "cache", steps.append)
    again = artifacts.build(tmp_path / "cache", steps.append)
    assert steps == ["fetching Debian's arm64 busybox and the kernel", "assembling the RAM-disk",
                     "fetching Debian's arm64 busybox and the kernel"]
    assert again == first and first.kernel_release == "6.1.0-50-arm64"
    write(server, make_elf(interpreter=str(tmp_path / "sysroot" / "ld-linux-aarch64.so.1"),
                           needed=("libc.so.6",)), 0o755)
    changed = artifacts.build(tmp_path / "cache", steps.append)
    assert changed.initrd != first.initrd and first.initrd.is_file()


def test_the_guest_server_command_line_is_written_once_in_the_init_script():
    """So that adding --insecure (or credentials) is a one-line change."""
    command = "/usr/bin/pynq-remote-server --backend linux --listen 0.0.0.0:7967"
    package = pathlib.Path(emulate.__file__).parent
    places = [path.name for path in sorted(package.rglob("*"))
              if path.is_file() and "--listen" in path.read_text(errors="replace")]
    assert places == ["pynq-remote"]
    assert (GUEST / "pynq-remote").read_text().count(command) == 1
    assert "::respawn:/etc/init.d/pynq-remote" in (GUEST / "inittab").read_text()


# QEMU

def test_qemu_command_leaves_the_ram_above_mem_as_the_carveout_and_forwards_loopback():
    target = emulator.Emulator(artifacts.Artifacts(pathlib.Path("/k"), pathlib.Path("/i"),
                                                   "6.1.0-50-arm64", "0" * 64),
                               folder="/run/x", memory_mib=256, carveout_mib=64)
    command = target.command(40000)
    assert command[:3] == ["qemu-system-aarch64", "-M", "virt"]
    assert command[command.index("-m") + 1] == "320M"
    append = command[command.index("-append") + 1].split()
    assert "mem=256M" in append
    assert "pynq_remote.carveout=0x50000000:0x4000000" in append
    assert target.carveout == (0x50000000, 0x4000000)
    netdev = command[command.index("-netdev") + 1]
    assert "hostfwd=tcp:127.0.0.1:40000-:7967" in netdev
    assert "virtio-net-pci,netdev=net0,romfile=" in command


def test_a_server_that_keeps_exiting_is_reported_with_its_last_words(tmp_path):
    log = tmp_path / "console.log"
    exited = "pynq-remote-emulate: pynq-remote-server exited with status 2, restarting\n"
    words = ("[info] bitstream cache: /var/cache/pynq-remote/bitstreams\n"
             "pynq-remote-server: refusing to serve 0.0.0.0:7967 without credentials\n"
             "Try 'pynq-remote-server --help'.\n")
    log.write_text("pynq-remote-emulate: up, kernel 6.1.0-50-arm64\n" + (words + exited) * 2)
    assert emulator.server_failure(log) is None  # twice may be bad luck
    log.write_text(log.read_text() + words + exited)
    assert emulator.server_failure(log) == (
        "pynq-remote-server: refusing to serve 0.0.0.0:7967 without credentials")
    assert (emulator.SERVER_EXITED + " with status $?") in (GUEST / "pynq-remote").read_text()
    assert emulator.server_failure(tmp_path / "none.log") is None


def test_too_little_memory_is_refused():
    with pytest.raises(emulator.EmulatorError, match="at least 128 MiB"):
        emulator.Emulator(None, memory_mib=64)


def test_stop_running_without_a_target_says_so_and_drops_a_stale_state(tmp_path):
    (tmp_path / "state.json").write_text(json.dumps(dict(
        pid=1, address="127.0.0.1:1", kernel_release="", carveout_base=0, carveout_size=0,
        console_socket=str(tmp_path / "console.sock"), console_log="", qemu_log="",
        boot_seconds=1.0)))
    with pytest.raises(emulate.NotRunning, match="no emulated target is running"):
        emulate.stop_running(tmp_path)
    assert not (tmp_path / "state.json").exists()


# Host packages and the CLI

def test_missing_host_packages_are_named_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(host.MissingHostPackages) as error:
        host.require("cross-building the server", tools=host.BUILD_TOOLS["aarch64"],
                     files=[(str(tmp_path / "none.pc"), "libgrpc++-dev:arm64")])
    assert error.value.packages == ("cmake", "protobuf-compiler", "protobuf-compiler-grpc",
                                    "g++-aarch64-linux-gnu", "pkgconf:arm64",
                                    "libgrpc++-dev:arm64")
    assert "\n" not in error.value.msg


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_EMULATE_RUN_DIR", str(tmp_path / "run"))
    return tmp_path / "run"


def test_emulate_without_qemu_names_the_package(capsys, monkeypatch, tmp_path, run_dir):
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = run_cli(capsys, "emulate")
    assert (code, out) == (2, "")
    assert err.startswith("error: booting the emulated target needs Debian packages that "
                          "are missing: qemu-system-arm (")
    assert err.count("\n") == 1


def test_emulate_stop_without_a_target_is_an_error(capsys, run_dir):
    code, _, err = run_cli(capsys, "emulate", "--stop")
    assert code == 2
    assert err == f"error: no emulated target is running (no live state in {run_dir})\n"


class FakeEmulator:
    def __init__(self, stop_by):
        self.state = emulator.State(1234, "127.0.0.1:41000", "6.1.0-50-arm64", 0x50000000,
                                    0x4000000, "/run/console.sock", "/run/console.log",
                                    "/run/qemu.log", 5.5)
        self.artifacts = type("A", (), {"initrd_bytes": 10_000_000})()
        self.stop_by = stop_by
        self.stopped = False

    def wait(self):
        if self.stop_by == "ctrl-c":
            raise KeyboardInterrupt
        if self.stop_by == "sigterm":
            signal.raise_signal(signal.SIGTERM)

    def stop(self):
        self.stopped = True


@pytest.mark.parametrize("stop_by", ["ctrl-c", "sigterm"])
def test_emulate_prints_the_address_and_stops_qemu_when_interrupted(capsys, monkeypatch,
                                                                     stop_by):
    fake = FakeEmulator(stop_by)
    options = {}
    monkeypatch.setattr(emulate, "boot", lambda progress, **o: options.update(o) or fake)
    before = signal.getsignal(signal.SIGTERM)
    code, out, err = run_cli(capsys, "emulate", "--memory", "512", "--carveout", "128")
    assert code == 0
    assert "emulated target ready at 127.0.0.1:41000 (booted in 5.5 s)" in out
    assert "export PYNQ_REMOTE_DEVICES=127.0.0.1:41000" in out
    assert err.endswith("stopped the emulated target\n")
    assert fake.stopped
    assert options == {"memory_mib": 512, "carveout_mib": 128, "cpus": 2,
                       "boot_timeout": emulator.DEFAULT_BOOT_TIMEOUT_S, "soc": "virt"}
    assert signal.getsignal(signal.SIGTERM) == before


def test_emulate_background_json_leaves_the_target_running(capsys, monkeypatch):
    fake = FakeEmulator("ctrl-c")
    monkeypatch.setattr(emulate, "boot", lambda progress, **o: fake)
    code, out, _ = run_cli(capsys, "emulate", "--background", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["address"], data["initrd_bytes"], data["pid"]) == (
        "127.0.0.1:41000", 10_000_000, 1234)
    assert not fake.stopped


# The Xilinx SoCs: QEMU command lines, the kernel fragment, the device-tree steps

def _soc_emulator(soc, tree="/t.dtb"):
    return emulator.Emulator(
        artifacts.Artifacts(pathlib.Path("/k"), pathlib.Path("/i"), "6.1.192", "0" * 64,
                            pathlib.Path(tree)),
        folder="/run/x", memory_mib=256, carveout_mib=64, cpus=2, soc=soc)


def test_zynq7000_command_boots_xilinx_zynq_a9_with_the_console_on_uart1():
    target = _soc_emulator("zynq7000")
    command = target.command(40000)
    assert command[:3] == ["qemu-system-arm", "-M", "xilinx-zynq-a9"]
    assert command[command.index("-smp") + 1] == "1"  # the model has one CPU
    assert command[command.index("-dtb") + 1] == "/t.dtb"
    serial = [command[i + 1] for i, part in enumerate(command) if part == "-serial"]
    assert serial == ["null", "chardev:console"]  # ttyPS0 is QEMU's second UART
    append = command[command.index("-append") + 1].split()
    assert {"console=ttyPS0", "mem=256M", "pynq_remote.carveout=0x10000000:0x4000000",
            "uio_pdrv_genirq.of_id=generic-uio"} <= set(append)
    assert target.carveout == (0x10000000, 0x4000000)  # RAM starts at 0
    assert ["-net", "nic,netdev=net0"] == command[-2:]


def test_zynqmp_command_boots_xlnx_zcu102_with_the_patched_tree():
    command = _soc_emulator("zynqmp").command(40000)
    assert command[:3] == ["qemu-system-aarch64", "-M", "xlnx-zcu102"]
    assert command[command.index("-dtb") + 1] == "/t.dtb"
    serial = [command[i + 1] for i, part in enumerate(command) if part == "-serial"]
    assert serial == ["chardev:console"]
    append = command[command.index("-append") + 1].split()
    assert "console=ttyPS0" in append and "uio_pdrv_genirq.of_id=generic-uio" not in append


def test_an_unknown_soc_names_the_choices():
    with pytest.raises(KeyError, match="expected one of virt, zynq7000, zynqmp"):
        emulator.Emulator(None, soc="zynq9000")


def test_the_fragment_check_names_the_options_the_config_did_not_take():
    wanted = zynq_kernel.wanted_options()
    assert wanted["CONFIG_ARCH_ZYNQ"] == "y" and wanted["CONFIG_IO_STRICT_DEVMEM"] == "y"
    config = "".join(f"{name}={value}\n" for name, value in wanted.items())
    assert zynq_kernel.missing_options(config, wanted) == []
    config = config.replace("CONFIG_MMU=y\n", "# CONFIG_MMU is not set\n")
    config = config.replace("CONFIG_GPIO_ZYNQ=y", "CONFIG_GPIO_ZYNQ=m")
    assert zynq_kernel.missing_options(config, wanted) == ["CONFIG_GPIO_ZYNQ", "CONFIG_MMU"]


def test_the_kernel_cache_key_follows_the_fragment_the_patches_and_the_source(tmp_path):
    fragment = tmp_path / "f.config"
    fragment.write_text("CONFIG_MMU=y\n")
    first = zynq_kernel.cache_key(fragment, "6.1.192-3")
    assert first == zynq_kernel.cache_key(fragment, "6.1.192-3")
    assert first != zynq_kernel.cache_key(fragment, "6.1.193-1")
    assert first != zynq_kernel.cache_key(fragment, "6.1.192-3", patches=[])
    fragment.write_text("CONFIG_MMU=y\nCONFIG_SMP=y\n")
    assert first != zynq_kernel.cache_key(fragment, "6.1.192-3")


def _dtb(tmp_path, source):
    dts = tmp_path / "board.dts"
    dts.write_text(source)
    dtb = tmp_path / "board.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True)
    return dtb


def _fdtget(dtb, *args):
    return subprocess.run(["fdtget", *args[:-2], str(dtb), *args[-2:]], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_the_zynq7000_tree_gains_a_uio_node_and_a_claimed_region(tmp_path):
    source = _dtb(tmp_path, "/dts-v1/; / { #address-cells = <1>; #size-cells = <1>; "
                            "compatible = \"xlnx,zynq-7000\"; };")
    tree = device_trees.patched("zynq7000", source, tmp_path / "cache")
    assert _fdtget(tree, "-t", "s", "/pynq-remote-uio@43c00000", "compatible") == "generic-uio"
    assert _fdtget(tree, "-t", "x", "/pynq-remote-uio@43c00000", "interrupts") == "0 1d 4"
    assert _fdtget(tree, "-t", "x", "/pynq-remote-uio@43c00000", "reg") == "43c00000 10000"
    assert _fdtget(tree, "-t", "s", "/sram@40000000", "compatible") == "mmio-sram"
    assert _fdtget(tree, "-t", "x", "/sram@40000000", "ranges") == "0 40000000 1000"
    assert device_trees.patched("zynq7000", source, tmp_path / "cache") == tree  # cached


def test_the_zynqmp_tree_runs_its_peripherals_on_a_fixed_clock(tmp_path):
    def node(name, extra=""):
        return (f"{name} {{ clocks = <&fw 1>, <&fw 2>; clock-names = \"a\", \"b\"; "
                f"power-domains = <&fw 3>; resets = <&fw 4>; {extra} }};")
    source = _dtb(tmp_path, (
        "/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; "
        "fw: firmware { #clock-cells = <1>; }; aliases { ethernet0 = \"/axi/ethernet@ff0e0000\"; };"
        " axi { " + node("serial@ff000000") + node("serial@ff010000")
        + node("gpio@ff0a0000", "pinctrl-0 = <1>; pinctrl-names = \"default\";")
        + node("mmc@ff170000") + node("ethernet@ff0b0000", "status = \"disabled\";")
        + node("ethernet@ff0e0000", "phy-handle = <1>; mdio { };") + " }; };"))
    tree = device_trees.patched("zynqmp", source, tmp_path / "cache")
    clock = int(_fdtget(tree, "-t", "x", device_trees.FIXED_CLOCK, "phandle"), 16)
    assert _fdtget(tree, "-t", "u", device_trees.FIXED_CLOCK, "clock-frequency") == "100000000"
    for path in device_trees.ZYNQMP_PERIPHERALS + (device_trees.ZYNQMP_GEM0,):
        assert _fdtget(tree, "-t", "x", path, "clocks") == f"{clock:x} {clock:x}"
        properties = subprocess.run(["fdtget", "-p", str(tree), path], check=True,
                                    capture_output=True, text=True).stdout.split()
        assert not {"power-domains", "resets", "pinctrl-0", "phy-handle"} & set(properties)
    assert _fdtget(tree, "-t", "s", device_trees.ZYNQMP_GEM0, "status") == "okay"
    assert _fdtget(tree, "-t", "s", "/axi/ethernet@ff0e0000", "status") == "disabled"
    assert _fdtget(tree, "-t", "s", "/aliases", "ethernet0") == device_trees.ZYNQMP_GEM0
    assert _fdtget(tree, "-t", "s", "/sram@b0000000", "compatible") == "mmio-sram"


def test_a_zynq7000_build_puts_the_built_kernel_its_tree_and_armhf_parts_together(
        parts, tmp_path, monkeypatch):
    server, busybox, _, libs = parts
    kernel_folder = tmp_path / "zynq-kernel"
    write(kernel_folder / "zImage", b"zImage")
    write(kernel_folder / "zynq-zc702.dtb", b"dtb")
    write(kernel_folder / "release", b"6.1.192\n")
    patched_tree = write(tmp_path / "zynq7000.dtb", b"patched")
    asked = {}
    monkeypatch.setattr(artifacts, "target_server",
                        lambda cache, progress, arch="aarch64": asked.setdefault("arch", arch)
                        and server)
    monkeypatch.setattr(artifacts, "stripped", lambda path, cache: path)
    monkeypatch.setattr(artifacts.packages, "busybox",
                        lambda cache, arch: asked.setdefault("busybox", arch) and busybox)
    monkeypatch.setattr(artifacts.zynq_kernel, "build",
                        lambda cache, progress: zynq_kernel.ZynqKernel(kernel_folder))
    monkeypatch.setattr(artifacts.device_trees, "patched",
                        lambda soc, source, cache: asked.setdefault("tree", (soc, source.name))
                        and patched_tree)
    plan = ramdisk.plan
    monkeypatch.setattr(artifacts.ramdisk, "plan",
                        lambda *a, **k: asked.setdefault("libdir", k["guest_libdir"])
                        and plan(*a[:3], libs, **k))
    built = artifacts.build(tmp_path / "cache", soc="zynq7000")
    assert asked == {"arch": "armhf", "busybox": "armhf", "tree": ("zynq7000", "zynq-zc702.dtb"),
                     "libdir": "lib/arm-linux-gnueabihf"}
    assert (built.kernel, built.device_tree, built.kernel_release) == (
        kernel_folder / "zImage", patched_tree, "6.1.192")
    with gzip.open(built.initrd) as initrd:
        assert b"lib/arm-linux-gnueabihf/libgrpc++.so.1.51" in initrd.read()


def test_read_elf_agrees_with_readelf_on_a_32_bit_armhf_library():
    """The Zynq-7000's RAM-disk is armhf: 32-bit ELF, as Debian's armhf
    libraries (installed by scripts/install-emulate-deps.sh) are."""
    library = sorted(pathlib.Path("/usr/lib/arm-linux-gnueabihf").glob("libgrpc++.so.*"))[0]
    readelf = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True,
                             check=True).stdout
    needed = [line.split("[")[1].rstrip("]") for line in readelf.splitlines()
              if "(NEEDED)" in line]
    info = elf.read_elf(library.read_bytes(), str(library))
    assert (info.machine, info.interpreter, list(info.needed)) == (elf.EM_ARM, "", needed)


def test_a_cache_folder_published_twice_keeps_the_first_and_a_clash_fails(tmp_path):
    first, second, other = (tmp_path / name for name in ("first", "second", "other"))
    for built, text in ((first, "1"), (second, "2")):
        built.mkdir()
        (built / "release").write_text(text)
    cache_folder.publish(first, tmp_path / "kernel", "release")
    cache_folder.publish(second, tmp_path / "kernel", "release")
    assert (tmp_path / "kernel" / "release").read_text() == "1"

    other.mkdir()
    (tmp_path / "unrelated").mkdir()
    (tmp_path / "unrelated" / "file").write_text("")
    with pytest.raises(OSError):  # not a finished build: not ours to keep
        cache_folder.publish(other, tmp_path / "unrelated", "release")
