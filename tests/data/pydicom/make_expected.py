#!/usr/bin/python3
"""Writes expected.tsv: the reference figures of the core's volume measure on
the pydicom test files of this folder, computed independently of our C++ code
with pydicom + numpy (Debian's python3-pydicom 2.3.1).

Run with Debian's interpreter, which has pydicom:  /usr/bin/python3 make_expected.py
"""
import os
import sys

import numpy
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))
HOW = "pydicom 2.3.1 pixel_array + numpy float64 min-max, count > t"

# (file, threshold, note). All are read by DCMTK in the core, except JPEG 2000.
CASES = [
    ("MR_small_implicit.dcm", 0.5, "implicit VR little endian"),
    ("MR_small_expb.dcm", 0.5, "explicit VR big endian, 16-bit signed"),
    ("image_dfl.dcm", 0.5, "deflated explicit VR little endian, 8-bit"),
    ("rtdose_expb.dcm", 0.5, "explicit VR big endian, 15 frames of 32-bit unsigned"),
    ("rtdose_expb.dcm", 0.3, "same file, another threshold"),
    ("rtdose_rle.dcm", 0.5, "RLE lossless, 15 frames of 32-bit unsigned"),
    ("liver_1frame.dcm", 0.5, "1-bit segmentation, explicit VR little endian"),
    ("liver_expb_1frame.dcm", 0.5, "1-bit segmentation, explicit VR big endian"),
]
# DCMTK has no JPEG 2000 decoder: the core must refuse these with 422
# (UnsupportedTransferSyntax), whatever pydicom finds.
UNSUPPORTED = [
    ("MR_small_jp2klossless.dcm", 0.5, "JPEG 2000 lossless"),
]
COLUMNS = ["file", "threshold", "http_status", "pixels_above_threshold", "volume_mm3",
           "tolerance", "how the reference was obtained"]


def spacing(ds):
    """PixelSpacing and SliceThickness, from the dataset or (enhanced
    multi-frame) its shared functional groups, as the README says (POST /api/volume)."""
    where = ds
    if "PixelSpacing" not in ds and "SharedFunctionalGroupsSequence" in ds:
        shared = ds.SharedFunctionalGroupsSequence[0]
        if "PixelMeasuresSequence" in shared:
            where = shared.PixelMeasuresSequence[0]
    ps = where.get("PixelSpacing")
    st = where.get("SliceThickness")
    missing = [name for name, value in (("PixelSpacing", ps), ("SliceThickness", st))
               if value in (None, "")]
    return ps, st, missing, where is not ds


def high_bits_note(ds):
    """Says whether unused high bits hold garbage that pydicom would keep."""
    if ds.BitsStored >= ds.BitsAllocated or ds.file_meta.TransferSyntaxUID.is_compressed:
        return ""
    order = "<" if ds.is_little_endian else ">"
    raw = numpy.frombuffer(ds.PixelData, dtype=ds.pixel_array.dtype.newbyteorder(order))
    unused = ~((1 << ds.BitsStored) - 1) & ((1 << ds.BitsAllocated) - 1)
    if (raw.astype(numpy.uint64) & unused).any():
        return "; WARNING: garbage in the unused high bits, pydicom differs from DICOM masking"
    return ""


def measure(name, threshold):
    ds = pydicom.dcmread(os.path.join(HERE, name))
    a = ds.pixel_array.astype(numpy.float64)
    n = (a - a.min()) / (a.max() - a.min())
    count = int((n > threshold).sum())
    ps, st, missing, grouped = spacing(ds)
    if missing:
        volume = "null"
        where = "no " + ", no ".join(missing) + " -> volume null with a warning naming it"
    else:
        volume = repr(count * float(ps[0]) * float(ps[1]) * float(st))
        where = ("volume = count*PixelSpacing[0]*PixelSpacing[1]*SliceThickness"
                 + (" (from SharedFunctionalGroupsSequence)" if grouped else ""))
    return count, volume, where + high_bits_note(ds)


def main():
    rows = ["\t".join(COLUMNS)]
    for name, threshold, note in CASES:
        count, volume, where = measure(name, threshold)
        rows.append("\t".join([name, str(threshold), "200", str(count), volume, "exact",
                               f"{HOW}; {where}; {note}"]))
    for name, threshold, note in UNSUPPORTED:
        try:
            count, volume, _ = measure(name, threshold)
            found = f"pydicom finds {count} and {volume}"
        except Exception as error:  # pydicom without a JPEG 2000 plugin
            found = f"pydicom cannot decode it either ({error})"
        rows.append("\t".join([name, str(threshold), "422", "", "", "",
                               f"{note}: DCMTK has no decoder, the core throws "
                               f"UnsupportedTransferSyntax ({found})"]))
    with open(os.path.join(HERE, "expected.tsv"), "w") as out:
        out.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
