"""Vivado hardware handoff (``.hwh``) files, read into PYNQ's dictionaries.

Keys are the block-design path of an IP without the leading ``/``, as PYNQ
writes them: ``leds_gpio``, ``video/axi_vdma``. An IP that the processor sees
through several slave interfaces gets one entry per interface, keyed
``path/INTERFACE`` (PYNQ's ``mem_id`` rule). Only what the processing system
(``processing_system7`` or ``zynq_ultra_ps_e``) can address is listed:

- ``ip_dict``: register-type address ranges, with parameters, register map,
  interrupts and PS GPIO pins;
- ``mem_dict``: memory-type ranges (BRAM controllers, PL DDR) and ``PSDDR``,
  the window of PS DDR that PL masters see;
- ``clock_dict``: the PS's four PL clocks, ``{index: {"enable", "divisor0",
  "divisor1", "frequency"}}`` (the MHz its divisors give);
- ``hierarchy_dict``: every block-design hierarchy that holds an addressable
  IP or memory, ``{path: {"fullpath", "ip", "memories", "hierarchies",
  "interrupts", "gpio"}}``, the children keyed by their name inside it;
- ``gpio_dict``, ``interrupt_controllers``, ``interrupt_pins``: PS GPIO
  outputs wired through ``xlslice`` cells, and the interrupt tree from the
  PS through ``xlconcat`` cells and ``axi_intc`` controllers. The PS itself
  is the unnamed root controller ``""``.
"""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ElementTree
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple, Optional

from ..errors import PynqRemoteUserError

PS_TYPES = ("zynq_ultra_ps_e", "processing_system7")
# PL-to-PS interrupt inputs and the GIC interrupt number of each of their bits.
PS_INTERRUPT_INPUTS = {
    "processing_system7": {"IRQ_F2P": [*range(61, 69), *range(84, 92)]},
    "zynq_ultra_ps_e": {"pl_ps_irq0": list(range(121, 129)),
                        "pl_ps_irq1": list(range(136, 144))},
}
# PS parameters of PL clock i: its enable and its two divisors.
PS_CLOCK_PARAMETERS = {
    "processing_system7": ("PCW_FPGA_FCLK{i}_ENABLE", "PCW_FCLK{i}_PERIPHERAL_DIVISOR0",
                           "PCW_FCLK{i}_PERIPHERAL_DIVISOR1"),
    "zynq_ultra_ps_e": ("PSU__FPGA_PL{i}_ENABLE", "PSU__CRL_APB__PL{i}_REF_CTRL__DIVISOR0",
                        "PSU__CRL_APB__PL{i}_REF_CTRL__DIVISOR1"),
}
# PS parameter of the frequency (MHz) that PL clock i gets from its divisors.
PS_CLOCK_FREQUENCY = {"processing_system7": "PCW_ACT_FPGA{i}_PERIPHERAL_FREQMHZ",
                      "zynq_ultra_ps_e": "PSU__CRL_APB__PL{i}_REF_CTRL__ACT_FREQMHZ"}
PS_GPIO_OUTPUT = {"processing_system7": "GPIO_O", "zynq_ultra_ps_e": "emio_gpio_o"}
MEMORY_TYPES = {"axi_bram_ctrl": "BRAM"}


class HwhError(PynqRemoteUserError):
    """A ``.hwh`` file is missing or malformed."""


class UnknownIp(PynqRemoteUserError, KeyError):
    """An IP name that the design does not have."""

    def __str__(self):
        return self.msg


class _Malformed(Exception):
    """Raised deep in the parse; ``parse_hwh`` adds the file name."""


@dataclass
class HardwareDescription:
    """What a ``.hwh`` says: the design, the processor and PYNQ's dictionaries."""

    source: str
    design_name: str
    vivado_version: str
    arch: str
    device: str
    package: str
    speed_grade: str
    board: str
    processor: Optional[dict]
    ip_dict: dict = field(default_factory=dict)
    mem_dict: dict = field(default_factory=dict)
    clock_dict: dict = field(default_factory=dict)
    gpio_dict: dict = field(default_factory=dict)
    interrupt_controllers: dict = field(default_factory=dict)
    interrupt_pins: dict = field(default_factory=dict)
    hierarchy_dict: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)

    def ip(self, name):
        """The ``ip_dict`` entry of ``name``; ``UnknownIp`` names close matches."""
        try:
            return self.ip_dict[name]
        except KeyError:
            raise UnknownIp(_unknown_ip_message(name, self)) from None


def _unknown_ip_message(name, hardware):
    names = sorted(hardware.ip_dict)
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name in n and n not in close]
    if close:
        return f"no IP named {name!r} in {hardware.design_name}; close names: " \
               f"{', '.join(close[:8])}"
    return f"no IP named {name!r} in {hardware.design_name}; IPs: " \
           f"{', '.join(names) or '(none)'}"


def read_hwh(path):
    """Reads and parses a ``.hwh`` file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise HwhError(f"{path}: no such file") from None
    except OSError as error:
        raise HwhError(f"{path}: cannot read: {error.strerror}") from None
    return parse_hwh(data, str(path))


def parse_hwh(data, source):
    """Parses the bytes of a ``.hwh``; ``source`` names it in errors."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise HwhError(f"{source}: malformed XML: {error}") from None
    if root.tag != "EDKSYSTEM":
        raise HwhError(f"{source}: not a hardware handoff file: root element is "
                       f"<{root.tag}>, not <EDKSYSTEM>")
    try:
        return _describe(root, source)
    except _Malformed as error:
        raise HwhError(f"{source}: {error}") from None


class _Module:
    """One MODULE element with what the parse looks up often."""

    def __init__(self, element):
        self.element = element
        self.instance = element.get("INSTANCE", "")
        self.fullpath = element.get("FULLNAME", "/" + self.instance).lstrip("/")
        self.modtype = element.get("MODTYPE", "")
        self.vlnv = element.get("VLNV")
        self.parameters = {p.get("NAME"): p.get("VALUE", "")
                           for p in element.findall("./PARAMETERS/PARAMETER")
                           if p.get("NAME")}
        self.ports = element.findall("./PORTS/PORT")
        self.signals = {p.get("NAME"): p.get("SIGNAME") for p in self.ports
                        if p.get("SIGNAME")}

    def int_parameter(self, name, default):
        return _int(self.parameters.get(name, str(default)),
                    f"parameter {name} of {self.fullpath}")


class _Pin(NamedTuple):
    """One end of a net: a module port (``module`` set) or an external port."""

    module: Optional[_Module]
    port: str
    direction: str

    @property
    def path(self):
        return f"{self.module.fullpath}/{self.port}" if self.module else self.port

    @property
    def drives(self):
        """Whether the net's value comes from this pin."""
        return self.direction == ("O" if self.module else "I")


def _describe(root, source):
    modules = [_Module(element) for element in root.iter("MODULE")]
    by_instance = {module.instance: module for module in modules}
    ps = next((m for m in modules if m.modtype in PS_TYPES), None)
    info = root.find("SYSTEMINFO")
    info = info.attrib if info is not None else {}
    hardware = HardwareDescription(
        source=source, design_name=info.get("NAME", ""),
        vivado_version=root.get("VIVADOVERSION", ""), arch=info.get("ARCH", ""),
        device=info.get("DEVICE", ""), package=info.get("PACKAGE", ""),
        speed_grade=info.get("SPEEDGRADE", ""), board=info.get("BOARD", ""),
        processor=_processor(ps))
    if ps is None:
        return hardware
    _add_address_map(hardware, ps, by_instance)
    _add_ps_ddr(hardware, ps, modules)
    _add_clocks(hardware, ps)
    nets = _nets(root, modules)
    _add_interrupts(hardware, ps, nets)
    _add_gpio(hardware, ps, nets)
    hardware.hierarchy_dict = _hierarchies(hardware)
    return hardware


def _processor(ps):
    if ps is None:
        return None
    return {"fullpath": ps.fullpath, "type": ps.vlnv, "parameters": ps.parameters}


# --- addresses --------------------------------------------------------------

class _Range(NamedTuple):
    instance: str
    base: int
    size: int
    interface: str
    block: str
    memtype: str


def _ranges(element, owner):
    ranges = []
    for memrange in element.findall("./MEMORYMAP/MEMRANGE"):
        instance = memrange.get("INSTANCE", "")
        base = _int(memrange.get("BASEVALUE"), f"BASEVALUE of {instance} in {owner}")
        high = _int(memrange.get("HIGHVALUE"), f"HIGHVALUE of {instance} in {owner}")
        if high < base:
            raise _Malformed(f"address range of {instance} in {owner} ends "
                             f"(0x{high:x}) before it starts (0x{base:x})")
        ranges.append(_Range(instance, base, high - base + 1,
                             memrange.get("SLAVEBUSINTERFACE", ""),
                             memrange.get("ADDRESSBLOCK", ""),
                             memrange.get("MEMTYPE", "REGISTER")))
    return ranges


def _add_address_map(hardware, ps, by_instance):
    """Fills ``ip_dict`` and ``mem_dict`` from the PS's MEMORYMAP."""
    per_instance = {}
    for memrange in _ranges(ps.element, ps.fullpath):
        same = per_instance.setdefault(memrange.instance, [])
        # One slave seen twice (e.g. through HPM0 and HPM1) keeps its first address.
        if all((r.interface, r.block) != (memrange.interface, memrange.block)
               for r in same):
            same.append(memrange)
    for instance, ranges in per_instance.items():
        module = by_instance.get(instance)
        if module is None:
            continue
        for key, memrange in zip(_range_keys(module.fullpath, ranges), ranges):
            if memrange.memtype == "MEMORY":
                hardware.mem_dict[key] = _memory_entry(module, memrange)
            else:
                hardware.ip_dict[key] = _ip_entry(module, memrange)


def _range_keys(fullpath, ranges):
    if len(ranges) == 1:
        return [fullpath]
    interfaces = [r.interface for r in ranges]
    return [f"{fullpath}/{r.interface}" if interfaces.count(r.interface) == 1
            else f"{fullpath}/{r.interface}/{r.block}" for r in ranges]


def _ip_entry(module, memrange):
    return {
        "fullpath": module.fullpath,
        "type": module.vlnv,
        "phys_addr": memrange.base,
        "addr_range": memrange.size,
        "mem_id": memrange.interface,
        "memtype": memrange.memtype,
        "bdtype": module.element.get("BDTYPE"),
        "state": None,
        "parameters": dict(module.parameters),
        "registers": _registers(module, memrange),
        "interrupts": {},
        "gpio": {},
    }


def _memory_entry(module, memrange):
    return {
        "fullpath": module.fullpath,
        "type": MEMORY_TYPES.get(module.modtype, module.modtype.upper()),
        "base_address": memrange.base,
        "size": memrange.size,
        "phys_addr": memrange.base,
        "addr_range": memrange.size,
        "mem_id": memrange.interface,
        "used": 1,
    }


def _add_ps_ddr(hardware, ps, modules):
    """``mem_dict["PSDDR"]``: the lowest PS DDR window that any PL master sees."""
    windows = [memrange for module in modules if module is not ps
               for memrange in _ranges(module.element, module.fullpath)
               if memrange.instance == ps.instance and memrange.memtype == "MEMORY"
               and "DDR" in memrange.block.upper()]
    if not windows:
        return
    window = min(windows, key=lambda r: (r.base, -r.size))
    hardware.mem_dict["PSDDR"] = {
        "fullpath": ps.fullpath, "type": "PSDDR",
        "base_address": window.base, "size": window.size,
        "phys_addr": window.base, "addr_range": window.size,
        "mem_id": window.interface, "used": 1,
    }


# --- register maps ----------------------------------------------------------

def _registers(module, memrange):
    """The enabled registers of the address block behind ``memrange``."""
    # Interface names differ in case between the two (axi_intc: s_axi, S_AXI).
    interface = memrange.interface.lower()
    blocks = [b for b in module.element.findall("./ADDRESSBLOCKS/ADDRESSBLOCK")
              if b.get("INTERFACE", "").lower() == interface]
    chosen = [b for b in blocks if b.get("NAME") == memrange.block] or blocks
    registers = {}
    for block in chosen:
        for register in block.findall("./REGISTERS/REGISTER"):
            # Disabled registers are listed too, as PYNQ lists them.
            properties = _properties(register)
            name = register.get("NAME", "")
            registers[name] = _register(properties, register,
                                        f"register {name} of {module.fullpath}")
    return registers


def _register(properties, element, where):
    return {
        "address_offset": _int(properties.get("ADDRESS_OFFSET"), f"ADDRESS_OFFSET of {where}"),
        "size": _int(properties.get("SIZE", "32"), f"SIZE of {where}"),
        "access": properties.get("ACCESS", ""),
        "description": properties.get("DESCRIPTION", ""),
        "fields": {field_element.get("NAME", ""): _field(_properties(field_element),
                                                         f"field {field_element.get('NAME')} "
                                                         f"of {where}")
                   for field_element in element.findall("./FIELDS/FIELD")},
    }


def _field(properties, where):
    return {
        "bit_offset": _int(properties.get("BIT_OFFSET"), f"BIT_OFFSET of {where}"),
        "bit_width": _int(properties.get("BIT_WIDTH"), f"BIT_WIDTH of {where}"),
        "access": properties.get("ACCESS", ""),
        "description": properties.get("DESCRIPTION", ""),
    }


def _properties(element):
    return {p.get("NAME"): p.get("VALUE", "") for p in element.findall("./PROPERTY")}


def _int(text, what):
    """A hex (``0x``) or decimal number from the file."""
    if text is None:
        raise _Malformed(f"{what} is missing")
    try:
        return int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError:
        raise _Malformed(f"{what} is not a number: {text!r}") from None


def _add_clocks(hardware, ps):
    """PYNQ's ``clock_dict``; empty when the PS lacks any of the parameters."""
    clocks = {}
    for index in range(4):
        names = [name.format(i=index) for name in PS_CLOCK_PARAMETERS[ps.modtype]]
        if any(name not in ps.parameters for name in names):
            return
        enable, divisor0, divisor1 = (ps.int_parameter(name, 0) for name in names)
        clocks[index] = {"enable": enable, "divisor0": divisor0, "divisor1": divisor1,
                         "frequency": _frequency(ps, index)}
    hardware.clock_dict = clocks


def _frequency(ps, index):
    """The MHz of PL clock ``index``, or ``None`` if the file lacks it."""
    text = ps.parameters.get(PS_CLOCK_FREQUENCY[ps.modtype].format(i=index), "")
    try:
        return float(text)
    except ValueError:
        return None


# --- nets, interrupts, GPIO -------------------------------------------------

def _nets(root, modules):
    """``{signal name: [pins]}`` over every module and external port."""
    nets = {}
    for module in modules:
        for port in module.ports:
            if port.get("SIGNAME"):
                nets.setdefault(port.get("SIGNAME"), []).append(
                    _Pin(module, port.get("NAME", ""), port.get("DIR", "")))
    for port in root.findall("./EXTERNALPORTS/PORT"):
        if port.get("SIGNAME"):
            nets.setdefault(port.get("SIGNAME"), []).append(
                _Pin(None, port.get("NAME", ""), port.get("DIR", "")))
    return nets


class _InterruptTree:
    """Walks from the PS interrupt inputs back through concats and controllers."""

    def __init__(self, nets):
        self.nets = nets
        self.controllers = {}
        self.pins = {}
        self.visited = set()

    def add_net(self, signal, controller, index, gic_numbers):
        for pin in self.nets.get(signal, ()):
            if not pin.drives:
                continue
            module = pin.module
            if module and module.modtype == "xlconcat" and pin.port == "dout":
                self.add_concat(module, controller, index, gic_numbers)
            elif module and module.modtype == "axi_intc" and pin.port == "irq":
                self.add_controller(module, controller, index, gic_numbers)
            else:
                self.pins[pin.path] = _irq({"controller": controller, "index": index,
                                            "fullpath": pin.path}, gic_numbers, index)

    def add_concat(self, concat, controller, index, gic_numbers):
        if not self._first_visit(concat):
            return
        for port in range(concat.int_parameter("NUM_PORTS", 0)):
            self.add_net(concat.signals.get(f"In{port}"), controller, index, gic_numbers)
            index += concat.int_parameter(f"IN{port}_WIDTH", 1)

    def add_controller(self, intc, parent, index, gic_numbers):
        if not self._first_visit(intc):
            return
        self.controllers[intc.fullpath] = _irq({"parent": parent, "index": index},
                                               gic_numbers, index)
        self.add_net(intc.signals.get("intr"), intc.fullpath, 0, None)

    def _first_visit(self, module):
        # A looped netlist must not recurse forever.
        if module.fullpath in self.visited:
            return False
        self.visited.add(module.fullpath)
        return True


def _irq(entry, gic_numbers, index):
    """Adds PYNQ's ``raw_irq`` (the GIC number) to pins wired straight to the PS."""
    if gic_numbers is not None and index < len(gic_numbers):
        entry["raw_irq"] = gic_numbers[index]
    return entry


def _add_interrupts(hardware, ps, nets):
    tree = _InterruptTree(nets)
    for port, gic_numbers in PS_INTERRUPT_INPUTS[ps.modtype].items():
        tree.add_net(ps.signals.get(port), "", 0, gic_numbers)
    hardware.interrupt_controllers = tree.controllers
    hardware.interrupt_pins = tree.pins
    for pin_path, entry in tree.pins.items():
        block, _, pin = pin_path.rpartition("/")
        if block in hardware.ip_dict:
            hardware.ip_dict[block]["interrupts"][pin] = entry


def _add_gpio(hardware, ps, nets):
    """PS GPIO bits taken out by ``xlslice`` cells; the key is the slice's path."""
    for pin in nets.get(ps.signals.get(PS_GPIO_OUTPUT[ps.modtype]), ()):
        slice_cell = pin.module
        if slice_cell is None or slice_cell.modtype != "xlslice" or pin.port != "Din":
            continue
        output = nets.get(slice_cell.signals.get("Dout"), ())
        entry = {"index": slice_cell.int_parameter("DIN_FROM", 0), "state": None,
                 "pins": sorted(p.path for p in output if p.module is not slice_cell)}
        hardware.gpio_dict[slice_cell.fullpath] = entry
        for pin_path in entry["pins"]:
            block, _, port = pin_path.rpartition("/")
            if block in hardware.ip_dict:
                hardware.ip_dict[block]["gpio"][port] = entry


# --- hierarchies ------------------------------------------------------------

def _hierarchies(hardware):
    """PYNQ's ``hierarchy_dict``: each path above an addressable IP or memory."""
    hierarchies = {}

    def hierarchy(path):
        if path not in hierarchies:
            hierarchies[path] = {"fullpath": path, "ip": {}, "memories": {},
                                 "hierarchies": {}, "interrupts": {}, "gpio": {}}
            parent, _, name = path.rpartition("/")
            if parent:
                hierarchy(parent)["hierarchies"][name] = hierarchies[path]
        return hierarchies[path]

    for kind, entries in (("ip", hardware.ip_dict), ("memories", hardware.mem_dict)):
        for key, entry in entries.items():
            parent = entry["fullpath"].rpartition("/")[0]
            if parent:
                hierarchy(parent)[kind][key[len(parent) + 1:]] = entry
    return dict(sorted(hierarchies.items()))
