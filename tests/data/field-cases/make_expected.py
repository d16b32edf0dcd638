#!/usr/bin/python3
"""Writes expected.tsv: the reference figures of the volume measure on the
field cases of this folder, computed independently of our C++ code with
pydicom + numpy (Debian's python3-pydicom 2.3.1), applying PS3.5 §8.1.1 as
the folder's README says: the bits above BitsStored are dropped and the
sign comes from PixelRepresentation (pydicom 2.3.1 leaves 12-bit signed
samples in 16 bits unsigned-looking: 35..4094 for -2037..2033).

Run with Debian's interpreter:  /usr/bin/python3 make_expected.py
"""
import os
import sys

import numpy
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "pydicom"))
from make_expected import COLUMNS, HOW, spacing  # noqa: E402  (the same reference rules)

CASES = [
    ("61-pixel-data-vr-un.dcm", 0.5, "Pixel Data with VR UN, explicit VR little endian"),
    ("own-61b-pixel-data-vr-un-big-endian.dcm", 0.5,
     "Pixel Data with VR UN, explicit VR big endian (make_own_cases.py)"),
    ("28b-twin-uncompressed-same-samples.dcm", 0.5,
     "12 bits stored of 16, PixelRepresentation 1"),
    ("50-enhanced-random-frame-order.dcm", 0.5, "enhanced multi-frame, 5 frames out of order"),
    ("own-61c-non-square-pixels.dcm", 0.5, "PixelSpacing 0.5 (rows) x 0.8 (columns)"),
    ("own-28h-explicit-data-set-implicit-meta.dcm", 0.5,
     "meta header says implicit VR, data set explicit (pydicom reads it as it is)"),
    ("own-28cd-signed-16bit-uncompressed.dcm", 0.5, "16 bits stored, PixelRepresentation 1"),
    ("own-28ef-signed-12bit-2-frames-uncompressed.dcm", 0.5,
     "12 bits stored of 16, PixelRepresentation 1, 2 frames"),
]
# Compressed files that pydicom 2.3.1 cannot decode here (no JPEG-LS
# handler), made from an uncompressed file of the same samples: that twin's
# figures.
TWINS = [
    ("own-28g-jpeg-ls-of-28b.dcm", "28b-twin-uncompressed-same-samples.dcm",
     "JPEG-LS lossless (dcmcjpls) of its twin"),
]
# JPEG 2000 whose codestream says unsigned while the data set says signed:
# DCMTK has no JPEG 2000 decoder, so the core refuses it (422); through
# Orthanc's GDCM the plugin must give the figures of its uncompressed twin.
UNSUPPORTED = [
    ("28-j2k-unsigned-codestream-signed-dataset.dcm", 0.5,
     "JPEG 2000, same samples as 28b-twin-uncompressed-same-samples.dcm"),
    ("own-28cd-signed-16bit-j2k-unsigned-codestream.dcm", 0.5,
     "JPEG 2000, same samples as own-28cd-signed-16bit-uncompressed.dcm"),
    ("own-28ef-signed-12bit-2-frames-j2k-unsigned-codestream.dcm", 0.5,
     "JPEG 2000, same samples as own-28ef-signed-12bit-2-frames-uncompressed.dcm"),
]


def stored_values(ds):
    """The samples as PS3.5 §8.1.1 defines them: BitsStored bits, signed if
    PixelRepresentation is 1."""
    a = ds.pixel_array.astype(numpy.int64)
    bits = int(ds.BitsStored)
    a &= (1 << bits) - 1
    if int(ds.PixelRepresentation) == 1:
        a = numpy.where(a >= (1 << (bits - 1)), a - (1 << bits), a)
    return a.astype(numpy.float64)


def measure(name, threshold):
    ds = pydicom.dcmread(os.path.join(HERE, name))
    a = stored_values(ds)
    n = (a - a.min()) / (a.max() - a.min())
    count = int((n > threshold).sum())
    ps, st, missing, grouped = spacing(ds)
    if missing:
        return count, "null", "no " + ", no ".join(missing) + " -> volume null"
    volume = repr(count * float(ps[0]) * float(ps[1]) * float(st))
    return count, volume, ("volume = count*PixelSpacing[0]*PixelSpacing[1]*SliceThickness"
                           + (" (from SharedFunctionalGroupsSequence)" if grouped else "")
                           + f"; samples {a.min():g}..{a.max():g}")


def main():
    rows = ["\t".join(COLUMNS)]
    for name, threshold, note in CASES:
        count, volume, where = measure(name, threshold)
        rows.append("\t".join([name, str(threshold), "200", str(count), volume, "exact",
                               f"{HOW}, PS3.5 §8.1.1 bits and sign; {where}; {note}"]))
    for name, twin, note in TWINS:
        count, volume, where = measure(twin, 0.5)
        rows.append("\t".join([name, "0.5", "200", str(count), volume, "exact",
                               f"the figures of {twin} (same samples): {HOW}, PS3.5 §8.1.1 "
                               f"bits and sign; {where}; {note}"]))
    for name, threshold, note in UNSUPPORTED:
        rows.append("\t".join([name, str(threshold), "422", "", "", "",
                               f"{note}: DCMTK has no decoder, the core throws "
                               "UnsupportedTransferSyntax"]))
    with open(os.path.join(HERE, "expected.tsv"), "w") as out:
        out.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
