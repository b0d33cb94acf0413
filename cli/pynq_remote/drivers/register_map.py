"""Named registers and bit fields of an IP, with PYNQ's shape.

    ip.register_map.CTRL.AP_START = 1     # a field: one read-modify-write
    ip.register_map.GIER[31] = 1          # a bit
    ip.register_map.GPIO_DATA[3:0] = 5    # bits 3 down to 0
    help(ip.register_map.MM2S_DMACR)      # the register's fields, described

Register descriptions use the shape of PYNQ's ``ip_dict[...]["registers"]``:
``{name: {"address_offset": int, "size": bits, "access": str, "description": str,
"fields": {field: {"bit_offset": int, "bit_width": int, "access": str,
"description": str}}}}``. Each register gets a class of its own whose
properties are its fields, so ``help()`` and tab completion show them.
Reading reads the register once; writing a field or a slice is one
read-modify-write step on the board, so the other bits are never clobbered.
A slice outside the register's width, a value that does not fit, or a write
to a read-only field raises before anything is written.

Slices follow PYNQ: ``reg[hi:lo]`` (hi >= lo) is bits hi down to lo;
``reg[lo:hi]`` (lo < hi) is the same bits in reversed order.
"""

import difflib
import re
import textwrap

from ..errors import PynqRemoteUserError


class RegisterError(PynqRemoteUserError, ValueError):
    """A bit slice or value that the register cannot take; nothing was written."""


def attribute_name(name):
    """A register or field name as a Python attribute (PYNQ's rule)."""
    name = re.sub(r"[^a-zA-Z0-9_]", "_", name)
    return "r" + name if name[:1].isdigit() else name


def bit_range(index, width, name):
    """``(lowest bit, highest bit, reversed)`` of an int or slice index."""
    if isinstance(index, int):
        start = stop = index
        step = None
    elif isinstance(index, slice):
        start, stop, step = index.start, index.stop, index.step
        if step not in (None, 1, -1):
            raise RegisterError(f"register {name}: slice step {step} is not 1 or -1")
        if step == 1:
            start, stop = (0 if start is None else start), (width - 1 if stop is None else stop)
        else:
            start = width - 1 if start is None else start
            stop = 0 if stop is None else stop
    else:
        raise RegisterError(f"register {name}: index {index!r} is not an int or a slice")
    for end in (start, stop):
        if not 0 <= end < width:
            raise RegisterError(f"register {name}: bit {end} is outside its {width} bits "
                                f"(0 to {width - 1}); nothing was written")
    return (stop, start, False) if start >= stop else (start, stop, True)


def _reverse(value, width):
    return int(f"{value:0{width}b}"[::-1], 2)


class Register:
    """One register of an IP, bound to its MMIO window."""

    _fields = {}

    def __init__(self, mmio, name, description):
        self._mmio = mmio
        self._name = name
        self.address = int(description["address_offset"])
        # Accessed as 32 or 64 bits, as PYNQ does (some .hwh files give SIZE in bytes).
        self.width = 32 if int(description.get("size", 32)) <= 32 else 64
        self.access = description.get("access", "")
        self.description = description.get("description", "")

    @property
    def value(self):
        return self._mmio.read(self.address, self.width // 8)

    @value.setter
    def value(self, value):
        self[:] = value

    def __getitem__(self, index):
        low, high, reverse = bit_range(index, self.width, self._name)
        width = high - low + 1
        bits = (self.value >> low) & ((1 << width) - 1)
        return _reverse(bits, width) if reverse else bits

    def __setitem__(self, index, value):
        low, high, reverse = bit_range(index, self.width, self._name)
        width = high - low + 1
        if not 0 <= value < (1 << width):
            raise RegisterError(f"register {self._name}: {value:#x} does not fit in bits "
                                f"{high}:{low} ({width} bits); nothing was written")
        if reverse:
            value = _reverse(value, width)
        if width == self.width:
            self._mmio.write(self.address, value, self.width // 8)
            return
        mask = ((1 << width) - 1) << low
        self._mmio.batch().modify(self.address, mask, value << low,
                                  width=self.width // 8).run()

    @classmethod
    def count(cls, index, width=32):
        """How many bits ``index`` (an int or a slice) spans (PYNQ's ``count``)."""
        low, high, _ = bit_range(index, width, "of that width")
        return high - low + 1

    @classmethod
    def create_subclass(cls, name, fields, doc=None):
        """PYNQ's name for ``register_class``: a subclass with ``fields`` as properties."""
        return register_class(name, {"address_offset": 0, "fields": fields,
                                     "description": doc or ""})

    def __int__(self):
        return self.value

    __index__ = __int__

    def __str__(self):
        return hex(self.value)

    def __repr__(self):
        value = self.value
        fields = ", ".join(f"{name}={_field_bits(value, field)}"
                           for name, field in self._fields.items())
        return f"Register({self._name}=0x{value:0{self.width // 4}x}" \
               f"{', ' + fields if fields else ''})"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(_missing(f"register {self._name} has no field", name,
                                      self._fields))

    def __setattr__(self, name, value):
        if name.startswith("_") or name in ("address", "width", "access", "description",
                                            "value") or name in self._fields:
            object.__setattr__(self, name, value)
            return
        raise AttributeError(_missing(f"register {self._name} has no field", name,
                                      self._fields))


def _field_bits(value, field):
    return (value >> field["bit_offset"]) & ((1 << field["bit_width"]) - 1)


def _missing(what, name, names):
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"{what} {name!r}{hint}"


def _field_property(register_name, field_name, field):
    high = field["bit_offset"] + field["bit_width"] - 1
    index = slice(high, field["bit_offset"])
    access = field.get("access", "")
    doc = f"bits {high}:{field['bit_offset']}, {access or 'access not given'}. " \
          f"{field.get('description', '')}".strip()

    def read(self):
        return self[index]

    def write(self, value):
        if access == "read-only":
            raise RegisterError(f"field {field_name} of register {register_name} is "
                                "read-only; nothing was written")
        self[index] = value

    return property(read, write, doc=doc)


def register_class(name, description):
    """A ``Register`` subclass whose properties are the fields of ``description``."""
    fields = {}
    attributes = {}
    for field_name, field in description.get("fields", {}).items():
        field = {**field, "bit_offset": int(field["bit_offset"]),
                 "bit_width": int(field["bit_width"])}
        safe = attribute_name(field_name)
        fields[safe] = field
        attributes[safe] = _field_property(name, safe, field)
    attributes["_fields"] = fields
    attributes["__doc__"] = _docstring(name, description, fields)
    return type(f"Register{attribute_name(name)}", (Register,), attributes)


def _docstring(name, description, fields):
    lines = [f"Register {name} at offset 0x{int(description['address_offset']):x}, "
             f"{description.get('access') or 'access not given'}."]
    if description.get("description"):
        lines.append(description["description"])
    if fields:
        lines += ["", "Fields:"]
        for field_name, field in fields.items():
            high = field["bit_offset"] + field["bit_width"] - 1
            summary = " ".join(field.get("description", "").split())
            lines.append(f"  {field_name} [{high}:{field['bit_offset']}] "
                         f"{field.get('access', '')}: {textwrap.shorten(summary, 70)}")
    return "\n".join(lines)


class RegisterMap:
    """The registers of one IP as attributes; assigning one writes it whole."""

    def __init__(self, mmio, registers):
        instances = {}
        for name, description in registers.items():
            if int(description.get("size", 32)) > 64:
                continue  # wider than one access; PYNQ leaves these out too
            safe = attribute_name(name)
            instances[safe] = register_class(name, description)(mmio, safe, description)
        object.__setattr__(self, "_registers", instances)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._registers[name]
        except KeyError:
            raise AttributeError(_missing("no register named", name,
                                          self._registers)) from None

    def __setattr__(self, name, value):
        register = self.__getattr__(name)
        if register.access == "read-only":
            raise RegisterError(f"register {name} is read-only; nothing was written")
        register.value = value

    def __dir__(self):
        return list(self._registers)

    def __iter__(self):
        return iter(self._registers.values())

    def __repr__(self):
        return "RegisterMap {\n" + "".join(f"  {r!r}\n" for r in self) + "}"
