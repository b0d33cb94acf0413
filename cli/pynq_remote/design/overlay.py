"""``Overlay``: a design on a board, with PYNQ's shape.

    ol = Overlay("design.xsa", device=dev)   # uploads if needed, programs
    ol.ip_dict["axi_gpio_0"]["phys_addr"]
    ol.axi_dma_0.sendchannel.transfer(buf)

Each IP of the design is an attribute, with the driver of its type.
"""

from ..board.interrupt import set_active_design
from ..devices import default_device
from ..drivers import AxiDMA, AxiGPIO, DefaultIP
from .deploy import deploy
from .loader import load_design

# IP type (VLNV without its version) -> driver class.
DRIVERS = {"xilinx.com:ip:axi_dma": AxiDMA, "xilinx.com:ip:axi_gpio": AxiGPIO}


def driver_for(ip_type):
    return DRIVERS.get(ip_type.rpartition(":")[0], DefaultIP)


class Overlay:
    """The design in ``path`` (``.bit`` with its ``.hwh`` beside it, or ``.xsa``)."""

    def __init__(self, path, device=None, download=True, hwh=None, partial=False):
        self.design = load_design(path, hwh)
        self.device = device if device is not None else default_device()
        self.partial = partial
        hardware = self.design.hardware
        self.ip_dict = hardware.ip_dict if hardware else {}
        self.mem_dict = hardware.mem_dict if hardware else {}
        self.gpio_dict = hardware.gpio_dict if hardware else {}
        self.interrupt_controllers = hardware.interrupt_controllers if hardware else {}
        self.interrupt_pins = hardware.interrupt_pins if hardware else {}
        self._drivers = {}
        self.last_deploy = None
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

    def __getattr__(self, name):
        ip_dict = self.__dict__.get("ip_dict", {})
        if name not in ip_dict:
            raise AttributeError(f"the overlay has no IP named {name!r}")
        if name not in self._drivers:
            description = ip_dict[name]
            self._drivers[name] = driver_for(description["type"])(
                description, device=self.device, design=self)
        return self._drivers[name]

    def __dir__(self):
        return [*super().__dir__(), *(n for n in self.ip_dict if "/" not in n)]
