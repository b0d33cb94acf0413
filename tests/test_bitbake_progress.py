"""The bitbake output parser, on lines captured from real kas/bitbake runs."""

from pathlib import Path

from pynq_remote.imagebuild import BitbakeProgress
from pynq_remote.imagebuild.bitbake_progress import recipe_name

DATA = Path(__file__).with_suffix("")


def _feed(name):
    progress, changes = BitbakeProgress(), []
    for line in (DATA / name).read_text().splitlines(keepends=True):
        if progress.feed(line):
            changes.append((progress.task, progress.total, progress.recipe,
                            progress.current_task))
    return progress, changes


def test_dry_run_counts_tasks_and_names_the_recipe():
    progress, changes = _feed("dry-run-qemuarm64.log")
    assert progress.recipes_parsed == 2047
    assert progress.total == 2519
    assert changes[1] == (1, 2519, "packagegroup-pynq-remote", "do_populate_lic")
    assert changes[-2] == (2519, 2519, "pynq-remote-image", "do_build")
    assert progress.summary_seen and progress.succeeded
    assert progress.attempted == 2519 and progress.up_to_date == 0
    assert progress.failed == [] and progress.errors == []


def test_noexec_and_native_tasks():
    progress, changes = _feed("dry-run-qemuarm64.log")
    assert (48, 2519, "gnu-config-native", "do_compile") in changes
    assert (407, 2519, "linux-libc-headers", "do_configure") in changes


def test_failed_task_with_its_log():
    progress, _ = _feed("fetch-failure-qemuarm64.log")
    assert progress.summary_seen and not progress.succeeded
    assert progress.attempted == 2
    assert [str(f) for f in progress.failed] == ["grpc:do_fetch"]
    assert progress.failed[0].log == (
        "/var/tmp/pynq-remote-yocto-x/build-qemuarm64/tmp/work/cortexa57-poky-linux/"
        "grpc/1.60.1/temp/log.do_fetch.31475")
    assert progress.first_error.startswith("grpc-1.60.1-r0 do_fetch: Bitbake Fetcher Error: "
                                           "NetworkAccess(")


def test_lines_without_kas_prefix():
    progress = BitbakeProgress()
    assert progress.feed("NOTE: Running task 3 of 9 (/l/meta/recipes-core/zlib/zlib_1.3.1.bb:"
                         "do_compile)\n")
    assert (progress.task, progress.total, progress.recipe) == (3, 9, "zlib")
    assert not progress.feed("Loading cache...done.\n")


def test_recipe_names():
    assert recipe_name("/l/meta/recipes-core/busybox/busybox_1.36.1.bb") == "busybox"
    assert recipe_name("virtual:native:/l/meta/zlib_1.3.1.bb") == "zlib-native"
    assert recipe_name("virtual:nativesdk:/l/meta/zlib_1.3.1.bb") == "nativesdk-zlib"
    assert recipe_name("/l/meta/gnu-config_git.bb") == "gnu-config"
