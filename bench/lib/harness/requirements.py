"""What a benchmark needs before it starts: tools (each with its Debian package),
the built plugin and users tool, and its input files."""
import shutil
import subprocess
from pathlib import Path

from .basics import ORTHANC, ORTHANC_PLUGINS, PYTHON, ROOT, Unmeasurable, knob


class Requirements:
    """The tools a benchmark needs, each with the Debian package that brings it,
    so that one message names every missing one. It installs nothing."""

    def __init__(self, script):
        self.script = script
        self.missing = []  # (what, package)

    def command(self, name, package):
        if shutil.which(name) is None:
            self.missing.append((name, package))

    def file(self, path, what, package):
        if not Path(path).exists():
            self.missing.append((what, package))

    def orthanc(self, *plugins):
        """Orthanc, its DICOMweb plugin and the other plugins named (file, package)."""
        self.file(ORTHANC, ORTHANC, "orthanc")
        self.file(ORTHANC_PLUGINS / "libOrthancDicomWeb.so", "Orthanc's DICOMweb plugin",
                  "orthanc-dicomweb")
        for name, package in plugins:
            self.file(ORTHANC_PLUGINS / name, f"Orthanc's plugin {name}", package)

    def python_module(self, module, package):
        if subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True).returncode:
            self.missing.append((f"python module {module} for {PYTHON}", package))

    def check(self, why):
        """Ends the run (status 2) when something is missing; WHY says what each tool is for."""
        if self.missing:
            raise Unmeasurable(
                "missing tools:\n" + "".join(f"  - {what}\n" for what, _ in self.missing) + why +
                "\nThis script installs nothing. On Debian:\n  sudo apt-get install " +
                " ".join(dict.fromkeys(package for _, package in self.missing)))



def require_built(path):
    if not Path(path).is_file():
        raise Unmeasurable(f"{path} is not built. Build the plugin and the users tool with:\n"
                           f"  make -C {ROOT} build")


def built_plugin():
    """The plugin measured: PLUGIN, or the one of make build."""
    plugin = Path(knob("PLUGIN", str(ROOT / "build/libmedical-image-server.so")))
    require_built(plugin)
    return plugin


def built_users_tool(plugin):
    """The users tool: USERS_TOOL, or the one beside the plugin."""
    tool = Path(knob("USERS_TOOL", str(plugin.parent / "medical-image-server-users")))
    require_built(tool)
    return tool


def require_default_volume():
    """The sample volume of data/, which our server imports at start-up."""
    if not list((ROOT / "data").glob("*.dcm")):
        raise Unmeasurable(f"{ROOT}/data holds no .dcm file: there is no default volume")


def series_files(folder):
    """The .dcm files of one series' folder, sorted; None when the folder is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.glob("*.dcm") if p.is_file())
    if not files:
        raise Unmeasurable(f"{folder} holds no .dcm file")
    return files


def required_series(folder):
    files = series_files(folder)
    if files is None:
        raise Unmeasurable(
            f"the series folder {folder} does not exist.\n"
            "  It is the 176-slice MR series (an extra corpus, never copied into the repository);\n"
            "  set SERIES_DIR to a folder of .dcm files to measure another one.")
    return files
