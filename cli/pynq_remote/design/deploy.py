"""Putting a design on a board: upload its bitstream once, then program it.

Bitstreams are content-addressed by the sha256 of the FPGA-manager bytes:
``upload`` asks the board first and sends nothing when it has them already.
"""

import dataclasses
import time

from ..board.clocks import apply_clock_dict
from ..connection.info import FpgaState
from ..errors import PynqRemoteUserError
from ..legacy import NotAvailable
from ..v1 import bitstream_pb2

CHUNK_BYTES = 1 << 20


@dataclasses.dataclass(frozen=True)
class DeployResult:
    address: str
    design_name: str
    sha256: str
    bytes_sent: int
    seconds: float
    fpga: FpgaState
    # PL clock index -> MHz, for the clocks the design's .hwh enables.
    pl_clocks_mhz: dict = dataclasses.field(default_factory=dict)

    def as_dict(self):
        return dataclasses.asdict(self)


def has_bitstream(device, sha256):
    request = bitstream_pb2.HasBitstreamRequest(sha256=sha256)
    return device.call(device.bitstreams.HasBitstream, request).present


def upload(device, bitstream, progress=None):
    """Uploads ``bitstream`` unless the board has it; returns the bytes sent.

    ``progress(sent, total)`` is called after each chunk.
    """
    if has_bitstream(device, bitstream.sha256):
        return 0
    data = memoryview(bitstream.fpga_manager_bin())

    def requests():
        yield bitstream_pb2.UploadBitstreamRequest(header=bitstream_pb2.UploadBitstreamHeader(
            sha256=bitstream.sha256, size=len(data)))
        for start in range(0, len(data), CHUNK_BYTES):
            chunk = data[start:start + CHUNK_BYTES]
            yield bitstream_pb2.UploadBitstreamRequest(data=chunk.tobytes())
            if progress:
                progress(start + len(chunk), len(data))

    response = device.call(device.bitstreams.UploadBitstream, requests(),
                           timeout=30.0 + len(data) / (4 << 20))
    return response.bytes_received


# The .hwh parameters a simulated board configures its models from (see
# DesignWindow.parameters in bitstream.proto); real boards ignore them.
SIM_MODEL_PARAMETERS = (
    "C_GPIO_WIDTH", "C_GPIO2_WIDTH", "C_IS_DUAL",
    "C_ALL_INPUTS", "C_ALL_INPUTS_2", "C_ALL_OUTPUTS", "C_ALL_OUTPUTS_2",
    "C_DOUT_DEFAULT", "C_DOUT_DEFAULT_2", "C_TRI_DEFAULT", "C_TRI_DEFAULT_2",
    "c_sg_length_width",
)


def model_parameters(ip):
    """The parameters of one ``ip_dict`` entry that the sim's models read."""
    parameters = ip.get("parameters") or {}
    return {name: str(parameters[name]) for name in SIM_MODEL_PARAMETERS
            if name in parameters}


def address_map(design):
    """The design's IP windows, as the board's MMIO allow-list wants them."""
    if design.hardware is None:
        return []
    return [bitstream_pb2.DesignWindow(name=name, base_address=ip["phys_addr"],
                                       size=ip["addr_range"], ip_type=ip["type"],
                                       parameters=model_parameters(ip))
            for name, ip in design.hardware.ip_dict.items()]


def interrupt_wiring(design):
    """The design's interrupts between windows of its address map, from the
    ``.hwh``'s interrupt_pins and interrupt_controllers (the sim models them)."""
    if design.hardware is None:
        return []
    hardware = design.hardware
    wires = []
    for path, pin in hardware.interrupt_pins.items():
        source = path.rpartition("/")[0]
        index = pin["index"] if pin["controller"] else pin.get("raw_irq")
        if source in hardware.ip_dict and index is not None and (
                not pin["controller"] or pin["controller"] in hardware.ip_dict):
            wires.append(bitstream_pb2.DesignInterrupt(
                source=source, controller=pin["controller"], index=index))
    for name, controller in hardware.interrupt_controllers.items():
        index = controller["index"] if controller["parent"] else controller.get("raw_irq")
        if name in hardware.ip_dict and index is not None and (
                not controller["parent"] or controller["parent"] in hardware.ip_dict):
            wires.append(bitstream_pb2.DesignInterrupt(
                source=name, controller=controller["parent"], index=index))
    return wires


def program(device, design, partial=False, dtbo=None):
    """Programs the (uploaded) bitstream of ``design``; returns the new ``FpgaState``."""
    request = bitstream_pb2.ProgramBitstreamRequest(
        sha256=design.bitstream.sha256, partial=partial,
        device_tree_overlay=dtbo or b"", design_name=design.name or "",
        address_map=address_map(design), interrupts=interrupt_wiring(design))
    return FpgaState.from_pb2(device.call(device.bitstreams.ProgramBitstream, request,
                                          timeout=60.0).fpga)


def set_design_clocks(device, design):
    """Sets the PL clocks a full design's ``.hwh`` asks for, as PYNQ does
    before programming; returns ``{index: MHz}`` of those set."""
    if design.hardware is None or not design.hardware.clock_dict:
        return {}
    if "clocks" not in device.info().capabilities:
        return {}
    clocks = apply_clock_dict(device, design.hardware.clock_dict)
    return {clock.index: clock.frequency_mhz for clock in clocks}


def deploy(device, design, partial=False, dtbo=None, progress=None):
    """Uploads (if needed) and programs ``design`` on ``device``; a full
    design also gets the PL clocks its ``.hwh`` asks for."""
    if design.bitstream is None:
        raise PynqRemoteUserError(f"{design.source}: no bitstream to deploy")
    if getattr(device, "legacy", False):
        return _deploy_over_pynq_remote_protocol(device, design, partial, dtbo, progress)
    start = time.perf_counter()
    sent = upload(device, design.bitstream, progress)
    clocks = {} if partial else set_design_clocks(device, design)
    fpga = program(device, design, partial, dtbo)
    return DeployResult(device.address, design.name or "", design.bitstream.sha256, sent,
                        time.perf_counter() - start, fpga, clocks)


def _deploy_over_pynq_remote_protocol(device, design, partial, dtbo, progress):
    """Deploys through a ``LegacyDevice``'s file calls (no PL clocks)."""
    if dtbo:
        raise NotAvailable("device-tree overlays are not available over the "
                           "PYNQ.remote protocol")
    start = time.perf_counter()
    bitstream = design.bitstream
    sent, state = device.program_bitstream(bitstream.sha256, bitstream.fpga_manager_bin,
                                           partial, progress)
    fpga = FpgaState("operating" if state == "operating" else "unknown", state,
                     design.name or "", bitstream.sha256, partial)
    return DeployResult(device.address, design.name or "", bitstream.sha256, sent,
                        time.perf_counter() - start, fpga, {})
