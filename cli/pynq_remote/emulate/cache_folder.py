"""A folder built for the emulator's cache, shown to readers only when whole."""


def publish(built, folder, marker):
    """Renames ``built`` (a folder on the same file system) to ``folder``.
    When another build got there first (``folder`` holds the file ``marker``),
    keeps its folder and leaves ``built`` where it is."""
    try:
        built.rename(folder)
    except OSError:
        if not (folder / marker).is_file():
            raise
