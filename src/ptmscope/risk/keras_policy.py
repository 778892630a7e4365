"""Keras model configs (JSON): Lambda layers and objects from outside Keras, as data + one walker.

Both Keras formats store the architecture as JSON: ``config.json`` inside a v3 ``.keras`` zip,
and the ``model_config`` attribute of a legacy ``.h5`` file. Loading rebuilds every object in
it, and three things in that JSON make loading run code someone else chose:

* **Lambda layers** carry a Python function: marshalled bytecode (base64) in Keras 2
  (``function_type: "lambda"``) and Keras 3 (``{"class_name": "__lambda__"}``), or a
  ``module`` + function name to import. Keras 2 runs the bytecode on load (CVE-2024-3660).
* **``module`` / ``registered_name``** outside Keras make the deserializer import that module
  and call what it names (CVE-2025-1550: ``{"module": "os", "class_name": "function"...}``).
* **TFOpLambda** layers call a ``tf.*`` function by name - harmless for ``math.add``,
  not for ``io.write_file`` or ``py_function``.

``check_keras_config(obj, where, fmt)`` walks the parsed JSON iteratively (depth and node
bounds) and returns ``RiskIssue``s. The allow/deny lists below are the policy.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from ptmscope.records import Severity
from ptmscope.risk.base import RiskIssue, Rule

#: Module prefixes of Keras itself and its first-party libraries (a match is a whole dotted
#: component prefix: ``keras`` matches ``keras.src.layers`` but not ``kerasx``).
ALLOWED_MODULE_PREFIXES: tuple[str, ...] = (
    "keras", "tf_keras", "tensorflow.keras", "tensorflow.python.keras", "keras_hub",
    "keras_nlp", "keras_cv", "keras_core",
)
#: Modules whose import or functions mean host access.
DANGEROUS_MODULES: tuple[str, ...] = (
    "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "sys", "shutil", "socket",
    "importlib", "runpy", "code", "codeop", "pty", "pickle", "_pickle", "marshal", "ctypes",
    "webbrowser", "urllib", "requests", "httpx", "http", "ftplib", "telnetlib", "smtplib",
    "multiprocessing", "threading", "asyncio", "pdb", "bdb", "timeit", "platform",
    "tempfile", "glob", "pathlib", "io", "functools", "operator", "types", "inspect",
    "numpy.testing", "torch.hub", "dill", "joblib",
)
#: TFOpLambda function names (``tf.<name>``) that touch files or run Python.
DANGEROUS_TF_FUNCTIONS = re.compile(
    r"(py_func|py_function|numpy_function|read_file|write_file|matching_files|gfile|"
    r"PyFunc|ReadFile|WriteFile|MatchingFiles|load_library|load_op_library|print)",
)
#: Names seen inside marshalled Lambda bytecode that suggest host access.
SUSPICIOUS_BYTECODE_NAMES = frozenset({
    "os", "system", "popen", "subprocess", "exec", "eval", "__import__", "compile", "open",
    "socket", "connect", "urlopen", "requests", "getattr", "globals", "builtins",
    "__builtins__", "spawn", "execve", "remove", "unlink", "rmtree", "write", "pickle",
    "marshal", "loads", "b64decode", "check_output", "Popen", "run", "importlib",
})
#: Keras classes that are ordinary architecture pieces (used when a config has no ``module``).
KNOWN_KERAS_CLASSES = frozenset({
    "Sequential", "Functional", "Model", "InputLayer", "Input", "Dense", "Activation", "Dropout",
    "Flatten", "Reshape", "Permute", "RepeatVector", "ActivityRegularization", "Masking",
    "Embedding", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
    "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D",
    "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
    "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalAvgPool1D",
    "GlobalAvgPool2D", "LSTM", "GRU", "SimpleRNN", "RNN", "LSTMCell", "GRUCell", "SimpleRNNCell",
    "StackedRNNCells", "Bidirectional", "TimeDistributed", "ConvLSTM1D", "ConvLSTM2D",
    "ConvLSTM3D", "CuDNNLSTM", "CuDNNGRU", "Add", "Subtract", "Multiply", "Average", "Maximum",
    "Minimum", "Concatenate", "Dot", "BatchNormalization", "LayerNormalization",
    "GroupNormalization", "UnitNormalization", "SpectralNormalization", "Normalization", "ReLU",
    "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "MultiHeadAttention", "Attention",
    "AdditiveAttention", "GroupQueryAttention", "GaussianNoise", "GaussianDropout", "AlphaDropout",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Rescaling", "Resizing",
    "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast",
    "RandomTranslation", "RandomBrightness", "TextVectorization", "StringLookup", "IntegerLookup",
    "CategoryEncoding", "Hashing", "Discretization", "HashedCrossing", "Identity", "Wrapper",
    "EinsumDense", "Einsum", "TFOpLambda", "SlicingOpLambda", "GlorotUniform", "GlorotNormal",
    "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "Zeros", "Ones", "Constant",
    "RandomNormal", "RandomUniform", "TruncatedNormal", "Orthogonal", "VarianceScaling",
    "L1", "L2", "L1L2", "OrthogonalRegularizer", "MaxNorm", "MinMaxNorm", "NonNeg",
    "UnitNorm", "RadialConstraint", "DTypePolicy", "FloatDTypePolicy", "Policy", "Adam", "AdamW",
    "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion",
    "LossScaleOptimizer", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "BinaryCrossentropy", "MeanSquaredError", "MeanAbsoluteError", "Huber", "Accuracy",
    "CategoricalAccuracy", "SparseCategoricalAccuracy", "BinaryAccuracy", "Mean", "AUC",
    "Precision", "Recall", "ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay",
    "InverseTimeDecay", "PolynomialDecay", "CosineDecayRestarts", "__tuple__", "__numpy__",
    "__bytes__", "__typespec__", "__tensor__", "__ellipsis__", "__slice__", "KerasTensor"
})

_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]{16,}$")
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{1,40}")
MAX_NODES = 2_000_000
MAX_DEPTH = 256
MAX_ISSUES = 100
KERAS_RULES: tuple[Rule, ...] = (
    Rule("KERAS-LAMBDA", "Keras Lambda layer",
         "A Lambda layer carries a Python function (bytecode or an importable name) that runs "
         "when the model is loaded or called.",
         "Rebuild the model without Lambda layers, or load only with safe_mode=True after "
         "reading the function.", Severity.HIGH),
    Rule("KERAS-MODULE", "Keras object from outside Keras",
         "The deserializer imports the named module and calls the named object.",
         "Load only with Keras >= 3.9 safe_mode and review the module named.", Severity.MEDIUM),
    Rule("KERAS-TF-OP", "TFOpLambda calling a file/Python TensorFlow function",
         "The layer calls a tf.* function that reads or writes files or runs Python.",
         "Remove the layer or review the function it calls.", Severity.HIGH),
    Rule("KERAS-CUSTOM-CLASS", "Custom Keras class",
         "Custom objects need code from outside the model file.",
         "Find out where that code comes from before loading.", Severity.LOW),
    Rule("KERAS-CONFIG-BOUND", "Keras config too large or deep",
         "Parts of the config past the bound were not checked.",
         "Treat the model as partly unchecked.", Severity.MEDIUM),
)
_WHY_LAMBDA = ("a Lambda layer carries a Python function that runs when the model is loaded "
               "or called (Keras 2 unmarshals and runs its bytecode on load; CVE-2024-3660)")
_WHY_MODULE = ("the Keras deserializer imports the named module and calls the named object, "
               "so a config can run any installed code (CVE-2025-1550)")


def _module_root_match(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def module_severity(module: str) -> Severity | None:
    """None for Keras modules; CRITICAL for dangerous ones; MEDIUM for anything else."""
    if _module_root_match(module, ALLOWED_MODULE_PREFIXES):
        return None
    if _module_root_match(module, DANGEROUS_MODULES):
        return Severity.CRITICAL
    return Severity.MEDIUM


def bytecode_names(encoded: str, limit: int = 1024 * 1024) -> list[str]:
    """Suspicious names found in base64 marshalled bytecode (decoded, never unmarshalled)."""
    if not _BASE64.match(encoded[: limit * 2]):
        return []
    try:
        raw = base64.b64decode(encoded[: limit * 2], validate=False)
    except (binascii.Error, ValueError):
        return []
    names = {m.group(0).decode() for m in _IDENT.finditer(raw[:limit])}
    return sorted(names & SUSPICIOUS_BYTECODE_NAMES)


class _Walk:
    def __init__(self, where: str, fmt: str) -> None:
        self.where = where
        self.fmt = fmt
        self.issues: list[RiskIssue] = []

    def add(self, rule: str, severity: Severity, construct: str, message: str, why: str,
            path: str) -> None:
        self.issues.append(RiskIssue(rule, severity, construct[:200], message[:500], why,
                                     f"{self.where}:{path}"[:300], self.fmt))

    def object(self, obj: dict[str, Any], path: str) -> None:
        class_name = obj.get("class_name")
        if not isinstance(class_name, str):
            return
        config = obj.get("config")
        module = obj.get("module")
        registered = obj.get("registered_name")
        if class_name == "__lambda__":
            code = config.get("code") if isinstance(config, dict) else None
            self._lambda_code(code, path)
        elif class_name == "Lambda":
            self._lambda_layer(config, path)
        elif class_name in ("TFOpLambda", "SlicingOpLambda") and isinstance(config, dict):
            fn = str(config.get("function", ""))
            if DANGEROUS_TF_FUNCTIONS.search(fn):
                self.add("KERAS-TF-OP", Severity.HIGH, f"tf.{fn}",
                         f"{class_name} layer calls tf.{fn}", "this TensorFlow function reads "
                         "or writes files or runs Python when the model is called", path)
        if isinstance(module, str) and module:
            severity = module_severity(module)
            if severity is not None:
                self.add("KERAS-MODULE", severity, f"{module}.{class_name}",
                         f"object {class_name!r} from non-Keras module {module!r}",
                         _WHY_MODULE, path)
        if isinstance(registered, str) and ">" in registered:
            package = registered.split(">", 1)[0]
            severity = module_severity(package)
            if severity is not None and not (isinstance(module, str) and module == package):
                self.add("KERAS-MODULE", severity, registered,
                         f"registered_name {registered!r} points outside Keras", _WHY_MODULE,
                         path)
        elif module is None and class_name not in KNOWN_KERAS_CLASSES \
                and class_name not in ("function", "Lambda"):
            self.add("KERAS-CUSTOM-CLASS", Severity.LOW, class_name,
                     f"class {class_name!r} is not a built-in Keras class (custom object)",
                     "custom objects need code from outside the model file; find out where "
                     "that code comes from before loading", path)

    def _lambda_layer(self, config: Any, path: str) -> None:
        if not isinstance(config, dict):
            self.add("KERAS-LAMBDA", Severity.HIGH, "Lambda", "Lambda layer", _WHY_LAMBDA, path)
            return
        function = config.get("function")
        ftype = config.get("function_type")
        if isinstance(function, list) and function and isinstance(function[0], str):
            self._lambda_code(function[0], path)  # Keras 2: [base64 code, defaults, closure]
        elif isinstance(function, dict) and function.get("class_name") == "__lambda__":
            pass  # reported when the walker reaches the nested __lambda__ object
        elif isinstance(function, str):
            module = str(config.get("module", ""))
            dangerous = bool(module) and module_severity(module) is Severity.CRITICAL
            self.add("KERAS-LAMBDA", Severity.CRITICAL if dangerous else Severity.HIGH,
                     f"{module}.{function}" if module else function,
                     f"Lambda layer calls function {function!r} ({ftype or 'by name'}) "
                     f"from module {module or '?'!r}", _WHY_LAMBDA, path)
        else:
            self.add("KERAS-LAMBDA", Severity.HIGH, "Lambda", "Lambda layer", _WHY_LAMBDA, path)

    def _lambda_code(self, code: Any, path: str) -> None:
        names = bytecode_names(code) if isinstance(code, str) else []
        detail = f"; bytecode names: {', '.join(names)}" if names else ""
        self.add("KERAS-LAMBDA", Severity.CRITICAL, "Lambda(bytecode)",
                 f"Lambda layer with serialized Python bytecode{detail}", _WHY_LAMBDA, path)


def check_keras_config(obj: Any, where: str, fmt: str) -> tuple[list[RiskIssue], str | None]:
    """Walk a parsed Keras config; return (issues, reason the walk stopped early or None)."""
    walk = _Walk(where, fmt)
    stack: list[tuple[Any, str, int]] = [(obj, "$", 0)]
    nodes = 0
    stopped: str | None = None
    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            stopped = f"more than {MAX_NODES} JSON nodes"
            break
        if depth > MAX_DEPTH:
            stopped = f"JSON nested deeper than {MAX_DEPTH}"
            break
        if isinstance(node, dict):
            walk.object(node, path)
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append((value, f"{path}.{str(key)[:40]}", depth + 1))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((value, f"{path}[{i}]", depth + 1))
    issues = walk.issues
    if stopped is not None:
        issues.append(RiskIssue("KERAS-CONFIG-BOUND", Severity.MEDIUM, "config", stopped,
                                "parts of the config past the bound were not checked", where,
                                fmt))
    if len(issues) > MAX_ISSUES:
        worst = min(issues, key=lambda i: i.severity.rank)
        issues = [*issues[:MAX_ISSUES], RiskIssue(
            worst.rule_id, worst.severity, "...", f"{len(issues) - MAX_ISSUES} more Keras "
            "issues not listed", worst.why, where, fmt)]
    return issues, stopped
