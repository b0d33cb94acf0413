"""``Overlay``: a design on a board, with PYNQ's shape.

    ol = Overlay("design.xsa", device=dev)   # uploads if needed, programs
    ol.ip_dict["axi_gpio_0"]["phys_addr"]
    ol.axi_dma_0.sendchannel.transfer(buf)
    ol.video.hdmi_in.color_convert           # through hierarchies
    help(ol)                                 # the IPs and hierarchies, with drivers

Each IP, hierarchy and memory of the design is an attribute with the driver
PYNQ's rules pick (``hierarchy``, ``drivers.default_ip``).
"""

from ..board.interrupt import set_active_design
from ..devices import default_device
from .deploy import deploy
from .hierarchy import IPMap, describe, docstring
from .loader import load_design


class Overlay(IPMap):
    """The design in ``path`` (``.bit`` with its ``.hwh`` beside it, or ``.xsa``).

    ``ignore_version=True`` binds a driver to IPs of another version of the
    type it was written for (PYNQ's option).
    """

    def __init__(self, path, device=None, download=True, hwh=None, partial=False,
                 ignore_version=False):
        self.design = load_design(path, hwh)
        self.device = device if device is not None else default_device()
        self.partial = partial
        self.ignore_version = ignore_version
        hardware = self.design.hardware
        for name in ("ip_dict", "mem_dict", "gpio_dict", "interrupt_controllers",
                     "interrupt_pins", "hierarchy_dict", "clock_dict"):
            setattr(self, name, getattr(hardware, name) if hardware else {})
        super().__init__(describe(self.ip_dict, self.hierarchy_dict, self.mem_dict,
                                  self.device, self, ignore_version))
        self.last_deploy = None
        # A class of its own per overlay, so help() and `ol?` list its design.
        self.__class__ = type(type(self).__name__, (type(self),), {
            "__doc__": docstring(self._description, self.design.source.name, "overlay"),
            "__module__": type(self).__module__})
        if download:
            self.download()

    def download(self):
        """Uploads the bitstream unless the board has it, then programs it."""
        self.last_deploy = deploy(self.device, self.design, self.partial)
        set_active_design(self.device, self)
        return self.last_deploy

    def is_loaded(self):
        """True when this design's bitstream is what the board has loaded."""
        return self.device.info().fpga.sha256 == self.design.bitstream.sha256

    def __repr__(self):
        hierarchies = [k for k in self.hierarchy_dict if "/" not in k]
        return f"<{type(self).__name__} {self.design.source.name} on " \
               f"{getattr(self.device, 'address', self.device)}: " \
               f"{len(self.ip_dict)} IPs, {len(hierarchies)} hierarchies>"
