"""Check every .onnx file under the given folders with the ONNX reference checker.

Usage: /usr/bin/python3 scripts/check-onnx.py DIR [DIR ...]
Needs Debian's python3-onnx (apt-get install -y python3-onnx). Runs
onnx.checker.check_model(path, full_check=True) (full_check adds strict shape inference) on each
file, prints one line per failure and a count; exits 1 if any file fails or none is found.
"""
import pathlib
import sys

import onnx


def main(dirs):
    files = sorted(p for d in dirs for p in pathlib.Path(d).rglob("*.onnx"))
    failed = 0
    for path in files:
        try:
            onnx.checker.check_model(str(path), full_check=True)
        except Exception as e:  # noqa: BLE001 - report every kind of checker failure
            failed += 1
            print(f"FAIL {path}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    print(f"onnx {onnx.__version__} checker (full_check): {len(files) - failed}/{len(files)} models pass")
    return 0 if files and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
