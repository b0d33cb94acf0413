"""Hierarchies of a design and their drivers, as PYNQ binds them.

``describe`` turns PYNQ's dictionaries into the nested description an
``Overlay`` and each ``DefaultHierarchy`` read: ``{"ip", "hierarchies",
"memories", ...}``, each entry carrying its ``driver``, the ``device`` and
the ``overlay``. A ``DefaultHierarchy`` subclass that defines
``checkhierarchy(description)`` is registered when it is defined; the newest
registered class whose ``checkhierarchy`` accepts a hierarchy drives it, as
in PYNQ:

    class Audio(DefaultHierarchy):
        @staticmethod
        def checkhierarchy(description):
            return "codec" in description["ip"]

Attribute access (``ol.video.axi_vdma``) makes each driver once, on first use.
"""

import difflib

from ..board.mmio import MMIO
from ..drivers import DefaultIP, driver_for
from ..errors import PynqRemoteUserError

# Registered hierarchy drivers, the newest first.
_hierarchy_drivers = []


class UnknownName(PynqRemoteUserError, AttributeError):
    """A name that is no IP, hierarchy or memory of the design; names close ones."""


class BindingError(PynqRemoteUserError):
    """A driver raised while it was being made for a hierarchy or an IP."""


def describe(ip_dict, hierarchy_dict, mem_dict, device, overlay, ignore_version=False):
    """The top-level description of a design, drivers assigned."""
    top = {"fullpath": "", "ip": ip_dict,
           "hierarchies": {k: v for k, v in hierarchy_dict.items() if "/" not in k},
           "memories": {k: v for k, v in mem_dict.items() if k != "PSDDR"},
           "interrupts": {}, "gpio": {}}
    return _bind(top, device, overlay, ignore_version)


def _bind(entry, device, overlay, ignore_version):
    description = {**entry, "device": device, "overlay": overlay}
    description["ip"] = {
        name: {**ip, "device": device, "overlay": overlay,
               "driver": driver_for(ip.get("type") or "", ignore_version, ip["fullpath"])}
        for name, ip in entry["ip"].items()}
    description["hierarchies"] = {
        name: _bind(child, device, overlay, ignore_version)
        for name, child in entry["hierarchies"].items()}
    if entry["fullpath"]:
        description["driver"] = hierarchy_driver_for(description)
    return description


def hierarchy_driver_for(description):
    """The newest registered hierarchy driver that accepts ``description``."""
    for driver in _hierarchy_drivers:
        try:
            accepted = driver.checkhierarchy(description)
        except Exception as error:
            raise BindingError(
                f"{_class_name(driver)}.checkhierarchy failed on hierarchy "
                f"{description['fullpath']}: {type(error).__name__}: {error}") from error
        if accepted:
            return driver
    return DefaultHierarchy


class IPMap:
    """Drivers of the IPs, hierarchies and memories of a description, as attributes."""

    def __init__(self, description):
        self._description = description
        self._made = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._made:
            self._made[name] = self._make(name)
        return self._made[name]

    def _make(self, name):
        description = self._description
        if name in description["hierarchies"]:
            return _construct(description["hierarchies"][name])
        if name in description["ip"]:
            return _construct(description["ip"][name])
        if name in description["memories"]:
            memory = description["memories"][name]
            return MMIO(memory["phys_addr"], memory["addr_range"],
                        device=description["device"])
        raise UnknownName(self._unknown(name))

    def _names(self):
        description = self._description
        return [*description["hierarchies"], *description["ip"], *description["memories"]]

    def _unknown(self, name):
        where = self._description["fullpath"] or "the overlay"
        names = self._names()
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.75)
        close += [n for n in names if name.lower() in n.lower() and n not in close]
        listed = f"close names: {', '.join(close[:8])}" if close else \
            f"it has: {', '.join(n for n in names if '/' not in n) or '(nothing)'}"
        return f"{where} has no IP, hierarchy or memory named {name!r}; {listed}"

    def __dir__(self):
        return sorted({*super().__dir__(), *(n for n in self._names() if "/" not in n)})


def _construct(description):
    driver = description["driver"]
    if driver is DefaultHierarchy:  # a class of its own, to document the hierarchy
        driver = type("DefaultHierarchy", (DefaultHierarchy,), {
            "__doc__": docstring(description, description["fullpath"], "hierarchy"),
            "__module__": DefaultHierarchy.__module__})
    try:
        return driver(description)
    except PynqRemoteUserError:
        raise
    except Exception as error:
        kind = "hierarchy" if "hierarchies" in description else "IP"
        raise BindingError(
            f"driver {driver.__module__}.{driver.__qualname__} failed on {kind} "
            f"{description['fullpath']}: {type(error).__name__}: {error}") from error


class DefaultHierarchy(IPMap):
    """A hierarchy of the design: its IPs, sub-hierarchies and memories as attributes.

    Subclass it with a ``checkhierarchy(description)`` static method to drive
    every hierarchy that method accepts; call ``super().__init__(description)``
    first in your ``__init__``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "checkhierarchy" in cls.__dict__:
            for old in [d for d in _hierarchy_drivers
                        if (d.__module__, d.__qualname__) == (cls.__module__, cls.__qualname__)]:
                _hierarchy_drivers.remove(old)  # the same class defined again
            _hierarchy_drivers.insert(0, cls)

    @classmethod
    def unregister(cls):
        if cls in _hierarchy_drivers:
            _hierarchy_drivers.remove(cls)

    def __init__(self, description):
        super().__init__(description)
        self.description = description
        self.device = description["device"]
        self._overlay = description["overlay"]

    @staticmethod
    def checkhierarchy(description):
        """True if this driver drives the hierarchy ``description``; the default
        drives none, so a driver that forgets to say binds to nothing."""
        return False

    def __repr__(self):
        return f"{type(self).__name__}({self._description['fullpath']!r})"


def docstring(description, name, kind):
    """PYNQ's generated docstring: the IPs and hierarchies with their drivers."""
    lines = [f"Default documentation for {kind} {name}. The following",
             f"attributes are available on this {kind}:", ""]
    for title, entries in (("IP Blocks", description["ip"]),
                           ("Hierarchies", description["hierarchies"])):
        lines += [title, "-" * len(title)]
        lines += [f"{key:<20} : {_class_name(entry['driver'])}"
                  for key, entry in entries.items()] or ["None"]
        lines.append("")
    lines += ["Memories", "--------"]
    lines += [f"{key:<20} : Memory" for key in description["memories"]] or ["None"]
    return "\n    ".join(lines)


def _class_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


__all__ = ["BindingError", "DefaultHierarchy", "DefaultIP", "IPMap", "UnknownName",
           "describe", "docstring", "hierarchy_driver_for"]
