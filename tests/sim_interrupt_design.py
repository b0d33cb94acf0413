"""The sim board's interrupt wiring (target-server/config/sim-board.textproto)
as PYNQ's dictionaries: what an Overlay of that design would give."""

from types import SimpleNamespace

GPIO0_PIN = {"controller": "axi_intc_0", "index": 0, "fullpath": "axi_gpio_0/ip2intc_irpt"}
GPIO1_PIN = {"controller": "axi_intc_0", "index": 1, "fullpath": "axi_gpio_1/ip2intc_irpt"}
LINE = 121

AXI_GPIO_0 = {"phys_addr": 0xA0000000, "addr_range": 0x10000,
              "type": "xilinx.com:ip:axi_gpio:2.0", "interrupts": {"ip2intc_irpt": GPIO0_PIN}}
AXI_GPIO_1 = {"phys_addr": 0xA0010000, "addr_range": 0x10000,
              "type": "xilinx.com:ip:axi_gpio:2.0", "interrupts": {"ip2intc_irpt": GPIO1_PIN}}
AXI_INTC_0 = {"phys_addr": 0xA0040000, "addr_range": 0x10000,
              "type": "xilinx.com:ip:axi_intc:4.1", "parameters": {"C_KIND_OF_INTR": "0x0"}}


def sim_design():
    return SimpleNamespace(
        ip_dict={"axi_gpio_0": AXI_GPIO_0, "axi_gpio_1": AXI_GPIO_1, "axi_intc_0": AXI_INTC_0},
        interrupt_pins={"axi_gpio_0/ip2intc_irpt": GPIO0_PIN,
                        "axi_gpio_1/ip2intc_irpt": GPIO1_PIN},
        interrupt_controllers={"axi_intc_0": {"parent": "", "index": 0, "raw_irq": LINE}})
