"""The board's resources, each over the connection: register windows
(``mmio``), DMA buffers (``buffer``), GPIO lines (``gpio``), interrupts
(``interrupt``) and the PL clocks (``clocks``)."""
