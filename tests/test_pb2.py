from pynq_remote.connection.info import DeviceInfo, FpgaState, Limits, MmioWindow


def test_device_info_round_trips_through_pb2():
    info = DeviceInfo(
        server_version="0.1.0", api_version="v1", board="zcu104", platform="zynqmp",
        backend="linux", kernel_release="6.6.10", architecture="aarch64",
        limits=Limits(16 << 20, 1 << 20, 65536, 60000, 1 << 30),
        capabilities=("mmio", "mmio.batch"),
        mmio_windows=(MmioWindow("hpm0", 0xA0000000, 0x20000000),),
        fpga=FpgaState("operating", "operating", "base", "ab" * 32, True, 1764000000000),
        extensions=("pynq_remote_ext.sysmon.v1.SysmonService",),
    )
    assert DeviceInfo.from_pb2(info.as_pb2()) == info


def test_mmio_window_contains_only_whole_accesses():
    window = MmioWindow("w", 0x1000, 0x100)
    assert window.contains(0x1000, 4)
    assert window.contains(0x10FC, 4)
    assert not window.contains(0x10FE, 4)
    assert not window.contains(0xFFC, 4)
