# Fails an image whose compressed RAM-disk is above
# PYNQ_REMOTE_IMAGE_MAX_BYTES (32 MiB) or whose root file system is above
# IMAGE_ROOTFS_MAXSIZE (64 MiB), so the image cannot grow unnoticed.

PYNQ_REMOTE_IMAGE_MAX_BYTES ??= "33554432"
IMAGE_ROOTFS_MAXSIZE ??= "65536"

python pynq_remote_check_compressed_size() {
    import glob
    limit = int(d.getVar('PYNQ_REMOTE_IMAGE_MAX_BYTES'))
    for path in sorted(glob.glob(os.path.join(d.getVar('IMGDEPLOYDIR'), '*.cpio.gz*'))):
        size = os.path.getsize(path)
        if size > limit:
            bb.fatal('%s is %d bytes, over the limit of %d bytes (PYNQ_REMOTE_IMAGE_MAX_BYTES)'
                     % (os.path.basename(path), size, limit))
}
pynq_remote_check_compressed_size[doc] = "Fails the image if a compressed RAM-disk is above PYNQ_REMOTE_IMAGE_MAX_BYTES"
IMAGE_POSTPROCESS_COMMAND += "pynq_remote_check_compressed_size"
