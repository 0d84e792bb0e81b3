"""Forecast results as bytes, to be stored once per data version and shared by every server process.

The format is an ``.npz`` archive (numpy arrays, read with ``allow_pickle=False``) with one JSON
header: no code is ever loaded from the stored bytes, so a stored result cannot run anything.
``CODE_VERSION`` changes whenever the forecasting code or its calibration table changes, so that a
result computed by an earlier release is never served by a later one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.board import BoardForecast, CategoryForecast
from forecasting.yearend import YearEndForecast

_TYPES = {cls.__name__: cls for cls in (BoardForecast, CategoryForecast, YearEndForecast)}


def _code_version() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    for path in sorted([*folder.glob("*.py"), *folder.glob("*.json")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def _encode(value, arrays: dict[str, np.ndarray], path: str):
    if dataclasses.is_dataclass(value):
        return {"__type__": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name), arrays, f"{path}.{f.name}")
                           for f in dataclasses.fields(value)}}
    if isinstance(value, np.ndarray):
        if value.dtype == object:  # it could only be read back with pickle, which ``loads`` never allows
            raise TypeError(f"kan inte spara en objektvektor ({path})")
        arrays[path] = value
        return {"__array__": path}
    if isinstance(value, pd.DataFrame):
        columns = {}
        for column in value.columns:
            series = value[column]
            if isinstance(series.dtype, pd.PeriodDtype):
                columns[str(column)] = {"__periods__": [str(p) for p in series]}
            elif series.dtype == object:  # text (a method's name): in the header, not as an object array
                columns[str(column)] = {"__texts__": [None if pd.isna(v) else str(v) for v in series]}
            else:
                columns[str(column)] = _encode(series.to_numpy(), arrays, f"{path}[{column}]")
        return {"__frame__": columns, "order": [str(c) for c in value.columns]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, arrays, f"{path}.k{i}"), _encode(v, arrays, f"{path}.v{i}")]
                             for i, (k, v) in enumerate(value.items())]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays, f"{path}.{i}") for i, v in enumerate(value)]}
    if isinstance(value, (np.floating, float)):
        return {"__float__": repr(float(value))}  # keeps nan and inf, which JSON cannot
    if isinstance(value, (np.integer, int, bool, str)) or value is None:
        return value.item() if isinstance(value, np.generic) else value
    raise TypeError(f"kan inte spara {type(value).__name__}")


def _decode(value, arrays):
    if isinstance(value, dict):
        if "__type__" in value:
            cls = _TYPES[value["__type__"]]
            return cls(**{name: _decode(field, arrays) for name, field in value["fields"].items()})
        if "__array__" in value:
            return arrays[value["__array__"]]
        if "__frame__" in value:
            data = {}
            for column in value["order"]:
                encoded = value["__frame__"][column]
                if "__periods__" in encoded:
                    data[column] = pd.PeriodIndex(encoded["__periods__"], freq="M")
                elif "__texts__" in encoded:
                    data[column] = pd.Series(encoded["__texts__"], dtype=object)
                else:
                    data[column] = _decode(encoded, arrays)
            return pd.DataFrame(data)
        if "__dict__" in value:
            return {_decode(k, arrays): _decode(v, arrays) for k, v in value["__dict__"]}
        if "__tuple__" in value:
            return tuple(_decode(v, arrays) for v in value["__tuple__"])
        if "__float__" in value:
            return float(value["__float__"])
    return value


def dumps(result) -> bytes:
    """A forecast result (``BoardForecast``, a dict of ``CategoryForecast`` …) as bytes."""
    arrays: dict[str, np.ndarray] = {}
    header = _encode(result, arrays, "r")
    buffer = io.BytesIO()
    names = {f"a{i}": path for i, path in enumerate(arrays)}
    np.savez_compressed(buffer, __header__=np.frombuffer(json.dumps(
        {"code": CODE_VERSION, "result": header, "names": names}).encode(), dtype=np.uint8),
        **{key: arrays[path] for key, path in names.items()})
    return buffer.getvalue()


def loads(data: bytes):
    """The result stored by ``dumps``; ``ValueError`` for bytes of another code version or format."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            header = json.loads(bytes(archive["__header__"]).decode())
            arrays = {path: archive[key] for key, path in header["names"].items()} \
                if header.get("code") == CODE_VERSION else {}
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, UnicodeDecodeError,
            AttributeError, TypeError) as error:
        raise ValueError(f"kan inte läsa den sparade prognosen ({type(error).__name__})") from error
    if header.get("code") != CODE_VERSION:
        raise ValueError("sparad med en annan version av prognoskoden")
    try:
        return _decode(header["result"], arrays)
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise ValueError(f"kan inte läsa den sparade prognosen ({type(error).__name__})") from error
