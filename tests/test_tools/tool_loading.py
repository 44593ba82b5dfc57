"""Import a script under tools/ as a module, to call its main(argv), or
the package beside such scripts."""
import importlib.util
import os.path as osp
import sys

from ..paths import REPO_ROOT


def load_tool(relative_path: str):
    """The module of ``tools/<relative_path>``; its folder is on
    ``sys.path`` while it loads, as when Python runs it, for the modules it
    imports from beside it."""
    path = osp.join(REPO_ROOT, 'tools', relative_path)
    name = 'tool_' + relative_path.replace('/', '_').replace('.py', '')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, osp.dirname(path))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(osp.dirname(path))
    return module


def load_tool_package(relative_path: str):
    """The package ``tools/<relative_path>`` (a folder with an
    ``__init__.py``), imported under its folder's name, the name the
    scripts beside it import it by (``from ablation import driver``); its
    submodules are imported through it (``importlib.import_module``)."""
    path = osp.join(REPO_ROOT, 'tools', relative_path)
    name = osp.basename(path)
    loaded = sys.modules.get(name)
    if loaded is not None:
        if list(getattr(loaded, '__path__', [])) != [path]:
            raise ImportError(f'{name!r} is already imported from '
                              f'{getattr(loaded, "__file__", None)}')
        return loaded
    spec = importlib.util.spec_from_file_location(
        name, osp.join(path, '__init__.py'), submodule_search_locations=[path])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
