"""Which pickle globals are safe to reconstruct, which are dangerous, and how dangerous: as data.

A pickle names every callable it needs as ``module`` + ``name`` (GLOBAL, STACK_GLOBAL, INST).
This module decides, without importing anything, what such a name means:

* ``ALLOWED``: reconstructors PyTorch, NumPy, joblib and the standard containers need to
  rebuild tensors, arrays and state dicts. Constructing them runs no code of the artifact.
* ``DENY_GROUPS``: known-dangerous names grouped by what they give an attacker (code
  execution, processes, network, file writes, import machinery, nested loaders, debuggers...),
  each with a severity and a "why". Patterns are ``module:name`` with shell wildcards in the
  name, and a module pattern also covers its submodules (``torch.utils.bottleneck`` covers
  ``torch.utils.bottleneck.__main__``), as picklescan's lists do.
* anything else is *unknown*: a medium finding that names the callable.

Python 2 names are mapped to Python 3 ones first (``__builtin__`` -> ``builtins``, ``posix`` ->
``os``...), and a dotted name is resolved through every attribute path a loader could follow:
``torch.serialization`` + ``os.system`` is ``os.system``.
"""

from __future__ import annotations

import _compat_pickle  # the stdlib's own Python 2 -> 3 name table (data only)
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from ptmscope.records import Severity

#: Python 2 module names a pickle may use, mapped to the Python 3 module the loader imports
#: (the same table ``pickle`` applies with ``fix_imports=True``), plus OS aliases of ``os``.
MODULE_ALIASES: dict[str, str] = {
    "__builtin__": "builtins",
    "__builtins__": "builtins",
    "copy_reg": "copyreg",
    "cPickle": "pickle",
    "_pickle": "pickle",
    "posix": "os",
    "nt": "os",
    "httplib": "http.client",
    "urllib2": "urllib.request",
    "commands": "subprocess",
    "Queue": "queue",
    "cStringIO": "io",
    "StringIO": "io",
    "_io": "io",
    "_operator": "operator",
    "_functools": "functools",
    "_codecs": "codecs",
    "_collections": "collections",
    "multiarray": "numpy.core.multiarray",
}

#: Safe reconstructors, ``module:name`` (name may use wildcards; no submodule inheritance).
ALLOWED: tuple[str, ...] = (
    # standard containers and scalars
    "collections:OrderedDict", "collections:defaultdict", "collections:deque",
    "collections:Counter", "builtins:set", "builtins:frozenset", "builtins:dict",
    "builtins:list", "builtins:tuple", "builtins:bytearray", "builtins:bytes",
    "builtins:complex", "builtins:slice", "builtins:range", "builtins:int", "builtins:float",
    "builtins:bool", "builtins:str", "builtins:object", "copyreg:_reconstructor",
    "copyreg:__newobj__", "copyreg:__newobj_ex__", "codecs:encode", "datetime:datetime",
    "datetime:date", "datetime:time", "datetime:timedelta", "datetime:timezone",
    "decimal:Decimal", "fractions:Fraction", "uuid:UUID", "argparse:Namespace",
    "pathlib:PosixPath", "pathlib:WindowsPath", "pathlib:PurePosixPath",
    "pathlib:PureWindowsPath", "pathlib:Path",
    # PyTorch tensors, storages, dtypes, parameters
    "torch._utils:_rebuild_tensor", "torch._utils:_rebuild_tensor_v2",
    "torch._utils:_rebuild_tensor_v3", "torch._utils:_rebuild_parameter",
    "torch._utils:_rebuild_parameter_with_state", "torch._utils:_rebuild_sparse_tensor",
    "torch._utils:_rebuild_nested_tensor", "torch._utils:_rebuild_qtensor",
    "torch._utils:_rebuild_device_tensor_from_numpy",
    "torch._utils:_rebuild_meta_tensor_no_storage",
    "torch._utils:_rebuild_wrapper_subclass", "torch._tensor:_rebuild_from_type_v2",
    "torch._utils:_rebuild_xla_tensor", "torch:*Storage", "torch.storage:TypedStorage",
    "torch.storage:UntypedStorage", "torch:Size", "torch:device", "torch:Tensor",
    "torch.nn.parameter:Parameter", "torch:float*", "torch:int*", "torch:uint*",
    "torch:bfloat16", "torch:half", "torch:double", "torch:bool", "torch:complex*",
    "torch:long", "torch:short", "torch:cfloat", "torch:cdouble", "torch:qint*",
    "torch:quint*", "torch:contiguous_format", "torch:channels_last", "torch:channels_last_3d",
    "torch:preserve_format", "torch:per_tensor_affine", "torch:per_channel_affine",
    "torch:per_tensor_symmetric", "torch:per_channel_symmetric", "torch:strided",
    "torch:sparse_coo", "torch:sparse_csr", "torch:_mkldnn",
    # ... and the rest of torch's own weights_only allowlist (torch/_weights_only_unpickler.py)
    "torch.serialization:_get_layout", "torch:bits*", "torch:*Tensor", "torch.cuda:*Tensor",
    "torch.cuda:*Storage", "torch.sparse:*Tensor", "torch.cuda.sparse:*Tensor",
    "torch:per_channel_affine_float_qparams",
    "torch._utils:_rebuild_device_tensor_from_cpu_tensor",
    # NumPy arrays, dtypes and scalars
    "numpy.core.multiarray:_reconstruct", "numpy._core.multiarray:_reconstruct",
    "numpy.core.multiarray:scalar", "numpy._core.multiarray:scalar", "numpy:ndarray",
    "numpy:dtype", "numpy.dtypes:*DType", "numpy:core", "numpy.core.numeric:_frombuffer",
    "numpy._core.numeric:_frombuffer",
    # TorchScript archives: list builders, and classes compiled from the archive's code/
    # (``__torch__.*`` is resolved by torch.jit.load, not imported; code/ is reported apart)
    "torch.jit._pickle:build_*", "torch.jit._pickle:restore_type_tag",
    # training_args.bin (torch.save of a transformers TrainingArguments dataclass and enums)
    "transformers.training_args:TrainingArguments", "transformers.training_args:OptimizerNames",
    "transformers.training_args_seq2seq:Seq2SeqTrainingArguments",
    "transformers.trainer_utils:IntervalStrategy", "transformers.trainer_utils:SchedulerType",
    "transformers.trainer_utils:HubStrategy", "transformers.trainer_utils:SaveStrategy",
    "transformers.trainer_utils:EvaluationStrategy", "transformers.trainer_utils:FSDPOption",
    "transformers.debug_utils:DebugOption", "accelerate.utils.dataclasses:DistributedType",
    # joblib's array wrappers (the array data follows them in the stream)
    "joblib.numpy_pickle:NumpyArrayWrapper", "joblib.numpy_pickle_compat:NDArrayWrapper",
    "sklearn.externals.joblib.numpy_pickle:NumpyArrayWrapper",
)


@dataclass(frozen=True, slots=True)
class DenyGroup:
    """Dangerous globals that give an attacker the same power.

    Attributes:
        category: what the group gives (``code execution``, ``network``...).
        severity: critical or high.
        why: the sentence a finding carries.
        patterns: ``module:name`` patterns; ``module:*`` denies the module and its submodules.
    """

    category: str
    severity: Severity
    why: str
    patterns: tuple[str, ...]


DENY_GROUPS: tuple[DenyGroup, ...] = (
    DenyGroup(
        "code execution", Severity.CRITICAL,
        "runs arbitrary Python code or builds code objects when the file is loaded",
        ("builtins:eval", "builtins:exec", "builtins:compile", "builtins:execfile",
         "builtins:apply", "builtins:breakpoint", "builtins:input", "builtins:__import__",
         "builtins:globals", "builtins:locals", "builtins:vars", "runpy:*", "code:*",
         "codeop:*", "types:CodeType", "types:FunctionType", "types:LambdaType",
         "types:MethodType", "timeit:*", "doctest:*", "numpy.testing:*", "numpy.f2py:*",
         "numpy.distutils:*", "numpy.lib.utils:*", "cloudpickle:*", "dill._dill:_create_code",
         "dill._dill:_create_function", "dill._dill:_import_module", "dill._dill:_get_attr",
         "torch.jit.unsupported_tensor_ops:*", "torch._inductor:*", "torch._dynamo:*",
         "torch.fx.experimental.symbolic_shapes:*", "torch.utils.bottleneck:*",
         "torch.utils.collect_env:*", "torch._export:*", "torch.testing:*",
         "jinja2:*", "IPython:*", "_xxsubinterpreters:*", "_interpreters:*",
         "test:*", "lib2to3:*", "idlelib:*", "_pyrepl:*", "rlcompleter:*", "tkinter:*",
         "site:*", "numpy.ctypeslib:*", "torch.utils.cpp_extension:*",
         "torch.ops:load_library", "torch.classes:load_library", "torch._ops:*load_library",
         "torch._classes:*load_library", "torch._C:_load*", "torch._C:import_ir_module*",
         "numexpr:*", "sympy:sympify", "sympy:parse_expr", "sympy.parsing:*", "unittest:main",
         "unittest.main:*"),
    ),
    DenyGroup(
        "process execution", Severity.CRITICAL,
        "starts a process or a shell command when the file is loaded",
        ("os:*", "subprocess:*", "pty:*", "popen2:*", "platform:*", "asyncio:*",
         "multiprocessing:*", "concurrent:*", "_posixsubprocess:*", "_aix_support:*",
         "_osx_support:*", "uuid:_*", "ctypes:*", "_ctypes:*", "cffi:*", "signal:*",
         "webbrowser:*", "pydoc:*", "distutils:*", "setuptools:*", "pip:*", "ensurepip:*",
         "venv:*", "imaplib:IMAP4_stream", "mailcap:*", "shlex:*", "_winapi:*", "winreg:*",
         "msvcrt:*", "_thread:*", "threading:*", "atexit:*", "sched:*", "operator:call",
         "_multiprocessing:*", "_posixshmem:*", "antigravity:*", "torch.multiprocessing:*",
         "resource:*", "fcntl:*"),
    ),
    DenyGroup(
        "debugger or profiler", Severity.CRITICAL,
        "debuggers, profilers and tracers run the code string they are given",
        ("bdb:*", "pdb:*", "cProfile:*", "profile:*", "trace:*", "_lsprof:*", "tracemalloc:*",
         "faulthandler:*"),
    ),
    DenyGroup(
        "import machinery", Severity.CRITICAL,
        "imports or resolves arbitrary modules and attributes, the universal pickle bypass",
        ("importlib:*", "imp:*", "pkgutil:*", "zipimport:*", "builtins:getattr",
         "builtins:setattr", "builtins:delattr", "builtins:type", "builtins:super",
         "operator:attrgetter", "operator:methodcaller", "operator:itemgetter",
         "functools:partial", "functools:reduce", "functools:partialmethod", "inspect:*",
         "sys:*", "gc:*", "_imp:*", "_frozen_importlib:*", "_frozen_importlib_external:*",
         "copyreg:add_extension", "copyreg:_inverted_registry"),
    ),
    DenyGroup(
        "nested loader", Severity.CRITICAL,
        "loads another pickle or code blob, which a scanner of this file cannot see",
        ("pickle:*", "marshal:*", "shelve:*", "dill:*", "joblib:load", "numpy:load",
         "numpy.lib.npyio:*", "torch:load", "torch.serialization:*", "torch.hub:*",
         "torch.storage:_load_from_bytes", "torch.package:*", "torch.jit:load",
         "torch.utils.data.datapipes:*", "torch.utils._config_module:*", "yaml:*",
         "keras:*", "tensorflow:*", "copyreg:_extension_registry", "pandas:read_pickle",
         "pandas.io.pickle:*", "pandas:eval", "pandas.core.computation:*", "pandas:read_*",
         "torch.utils.model_zoo:*", "transformers:pipeline", "transformers:*.from_pretrained",
         "diffusers:*.from_pretrained"),
    ),
    DenyGroup(
        "network access", Severity.HIGH,
        "opens network connections (exfiltration, downloads, SSRF) when the file is loaded",
        ("socket:*", "_socket:*", "ssl:*", "http:*", "urllib:*", "urllib3:*", "requests:*",
         "aiohttp:*", "httpx:*", "ftplib:*", "smtplib:*", "telnetlib:*", "poplib:*",
         "imaplib:*", "nntplib:*", "xmlrpc:*", "socketserver:*", "select:*", "selectors:*",
         "huggingface_hub:*", "fsspec:*", "boto3:*", "botocore:*", "smtpd:*", "asyncore:*",
         "asynchat:*", "wsgiref:*", "torch.distributed.rpc:*", "torch.distributed.run:*",
         "torch.distributed.launch:*", "torch.distributed.elastic:*"),
    ),
    DenyGroup(
        "file system access", Severity.HIGH,
        "reads, writes or deletes files when the file is loaded",
        ("builtins:open", "io:*", "shutil:*", "tempfile:*", "pathlib:*", "glob:*",
         "fileinput:*", "linecache:*", "logging:*", "zipfile:*", "tarfile:*", "sqlite3:*",
         "mmap:*", "dbm:*", "filecmp:*", "codecs:open", "_pyio:*", "compileall:*",
         "py_compile:*", "zipapp:*", "numpy:memmap", "numpy:fromfile", "numpy:save*",
         "numpy:loadtxt", "numpy:genfromtxt", "numpy:fromregex", "numpy.lib.format:open_memmap",
         "xml.sax:parse", "xml.dom.minidom:parse", "xml.etree.ElementTree:parse"),
    ),
    DenyGroup(
        "other builtin", Severity.HIGH,
        "a builtin outside the reconstructor allowlist: builtins reach the interpreter directly",
        ("builtins:*",),
    ),
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a global means.

    Attributes:
        kind: ``safe``, ``dangerous`` or ``unknown``.
        severity: info for safe, the group's severity for dangerous, medium for unknown.
        resolved: the ``module.name`` the verdict is about (after aliasing and dotted-name
            resolution).
        category: the deny group's category, ``""`` otherwise.
        why: why it matters.
    """

    kind: str
    severity: Severity
    resolved: str
    category: str = ""
    why: str = ""


UNKNOWN_WHY = (
    "a callable outside the reconstructor allowlist: the loader imports and calls it, so it "
    "may run code; check that it is a class the model really needs"
)


def _split(pattern: str) -> tuple[str, str]:
    module, _, name = pattern.partition(":")
    return module, name


_DENY: tuple[tuple[str, str, DenyGroup], ...] = tuple(
    (*_split(p), g) for g in DENY_GROUPS for p in g.patterns
)
_ALLOW: tuple[tuple[str, str], ...] = tuple(_split(p) for p in ALLOWED)


#: every alias the loader applies (``fix_imports``: ``thread`` -> ``_thread``,
#: ``SimpleHTTPServer`` -> ``http.server``...), ours winning where both name a module
_ALL_ALIASES: dict[str, str] = {**_compat_pickle.IMPORT_MAPPING, **MODULE_ALIASES}


def canonical_module(module: str) -> str:
    """Map Python 2 and private module aliases to the module the loader really imports."""
    if module in _ALL_ALIASES:
        return _ALL_ALIASES[module]
    head, dot, rest = module.partition(".")
    if dot and head in _ALL_ALIASES:
        return f"{_ALL_ALIASES[head]}.{rest}"
    return module


def _module_matches(module: str, pattern: str) -> bool:
    """``pattern`` covers ``module`` itself and its submodules (parent-module inheritance)."""
    return module == pattern or module.startswith(pattern + ".")


def _deny_group(module: str, name: str) -> DenyGroup | None:
    """The most severe deny group covering ``module.name`` (name is one attribute or dotted)."""
    best: DenyGroup | None = None
    first = name.split(".", 1)[0]
    for pat_module, pat_name, group in _DENY:
        if not _module_matches(module, pat_module):
            continue
        named = pat_name == "*" or fnmatchcase(first, pat_name) or fnmatchcase(name, pat_name)
        if named and (best is None or group.severity.rank < best.severity.rank):
            best = group
    return best


def _allowed(module: str, name: str) -> bool:
    """Exact allowlist match; a dotted name (an attribute path) is never allowlisted."""
    if "." in name:
        return False
    if module == "__torch__" or module.startswith("__torch__."):
        return True
    return any(
        module == pat_module and fnmatchcase(name, pat_name) for pat_module, pat_name in _ALLOW
    )


@lru_cache(maxsize=8192)
def classify(module: str, name: str) -> Verdict:
    """Classify the global ``module`` + ``name`` a pickle asks the loader to import.

    Every way a loader could resolve the dotted path ``module.name`` is tried: any suffix of
    the path that starts at a denied module (``torch.serialization.os.system`` reaches
    ``os.system``) makes the global dangerous.

    >>> classify("posix", "system").severity
    <Severity.CRITICAL: 'critical'>
    >>> classify("collections", "OrderedDict").kind
    'safe'
    """
    # the loader's (module, name) renames first (``__builtin__.reduce`` -> functools.reduce)
    module, name = _compat_pickle.NAME_MAPPING.get((module, name), (module, name))
    module = canonical_module(module)
    full = f"{module}.{name}" if name else module
    if _allowed(module, name):
        return Verdict("safe", Severity.INFO, full)
    parts = full.split(".")
    worst: tuple[DenyGroup, str] | None = None
    # try every split point: modules parts[k:j], attribute path parts[j:]. Inner segments
    # (k > 0) are attributes of another module: ``x.os`` is very likely ``import os``, but
    # ``torch.jit._pickle`` is torch's own module, so aliases apply to the leading one only.
    for k in range(len(parts) - 1):
        for j in range(k + 1, len(parts)):
            mod = ".".join(parts[k:j])
            mod = canonical_module(mod) if k == 0 else mod
            attr = ".".join(parts[j:])
            group = _deny_group(mod, attr)
            worse = worst is None or (group is not None and
                                      group.severity.rank < worst[0].severity.rank)
            if group is not None and worse:
                worst = (group, f"{mod}.{attr}")
    if worst is not None:
        group, resolved = worst
        return Verdict("dangerous", group.severity, resolved, group.category, group.why)
    return Verdict("unknown", Severity.MEDIUM, full, "unknown callable", UNKNOWN_WHY)
