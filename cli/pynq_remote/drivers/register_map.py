"""Named registers and bit fields of an IP: ``ip.register_map.CTRL.AP_START = 1``.

Register descriptions use the shape of PYNQ's ``ip_dict[...]["registers"]``:
``{name: {"address_offset": int, "size": bits, "access": str,
"fields": {field: {"bit_offset": int, "bit_width": int, "access": str}}}}``.
Reading a field reads the register once; writing a field is one
read-modify-write step on the board, so other fields are never clobbered.
"""


class Register:
    """One register of an IP, bound to its MMIO window."""

    def __init__(self, mmio, name, description):
        object.__setattr__(self, "_mmio", mmio)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_offset", int(description["address_offset"]))
        object.__setattr__(self, "_fields", dict(description.get("fields", {})))

    @property
    def value(self):
        return self._mmio.read(self._offset)

    @value.setter
    def value(self, value):
        self._mmio.write(self._offset, value)

    def __int__(self):
        return self.value

    def _field(self, name):
        try:
            field = self._fields[name]
        except KeyError:
            raise AttributeError(f"register {self._name} has no field {name!r}") from None
        return int(field["bit_offset"]), int(field["bit_width"])

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        lsb, width = self._field(name)
        return (self.value >> lsb) & ((1 << width) - 1)

    def __setattr__(self, name, value):
        if name == "value":
            object.__setattr__(self, name, value)
            return
        lsb, width = self._field(name)
        if not 0 <= value < (1 << width):
            raise ValueError(f"{value:#x} does not fit field {self._name}.{name} "
                             f"of {width} bits")
        mask = ((1 << width) - 1) << lsb
        self._mmio.batch().modify(self._offset, mask, value << lsb).run()

    def __dir__(self):
        return ["value", *self._fields]

    def __repr__(self):
        value = self.value
        fields = ", ".join(
            f"{name}={(value >> int(f['bit_offset'])) & ((1 << int(f['bit_width'])) - 1)}"
            for name, f in self._fields.items())
        return f"Register({self._name}=0x{value:08x}{', ' + fields if fields else ''})"


class RegisterMap:
    """The registers of one IP as attributes."""

    def __init__(self, mmio, registers):
        self._registers = {name: Register(mmio, name, description)
                           for name, description in registers.items()}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._registers[name]
        except KeyError:
            raise AttributeError(f"no register named {name!r}") from None

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self.__getattr__(name).value = value

    def __dir__(self):
        return list(self._registers)

    def __iter__(self):
        return iter(self._registers.values())

    def __repr__(self):
        return "RegisterMap {\n" + "".join(f"  {r!r}\n" for r in self) + "}"
