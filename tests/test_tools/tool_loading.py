"""Import a script under tools/ as a module, to call its main(argv)."""
import importlib.util
import os.path as osp

from ..paths import REPO_ROOT


def load_tool(relative_path: str):
    """The module of ``tools/<relative_path>``."""
    path = osp.join(REPO_ROOT, 'tools', relative_path)
    name = 'tool_' + relative_path.replace('/', '_').replace('.py', '')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
