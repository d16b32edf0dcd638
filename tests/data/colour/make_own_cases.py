#!/usr/bin/python3
"""Writes the own-*.dcm colour images of this folder from pydicom's
SC_rgb_rle.dcm (tests/data/corpus), with pydicom (Debian's python3-pydicom 2.3.1). Run with Debian's
interpreter:  /usr/bin/python3 make_own_cases.py

- own-rgb-uncompressed.dcm: SC_rgb_rle.dcm decoded, explicit VR little endian.
- own-ybr-full-uncompressed.dcm: the same samples converted to YBR_FULL
  (pydicom's convert_color_space, PS3.3 C.7.6.3.1.2).
- own-palette-colour.dcm: 8-bit indices (a ramp) with the 16-bit "hot iron"
  palette of pydicom's palettes/hotiron.dcm.
"""
import os

import numpy
import pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "corpus", "SC_rgb_rle.dcm")


def uncompressed(name, photometric, samples, uid_seed):
    ds = pydicom.dcmread(SOURCE)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.PhotometricInterpretation = photometric
    ds.PlanarConfiguration = 0
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[uid_seed, "series"])
    ds.SOPInstanceUID = generate_uid(entropy_srcs=[uid_seed, "instance"])
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PixelData = numpy.ascontiguousarray(samples, dtype=numpy.uint8).tobytes()
    ds["PixelData"].VR = "OB"
    ds.save_as(os.path.join(HERE, name), write_like_original=False)
    return ds


def palette():
    ds = uncompressed("own-palette-colour.dcm", "PALETTE COLOR",
                      numpy.zeros((100, 100, 3), numpy.uint8), "own-palette")
    ds.SamplesPerPixel = 1
    del ds.PlanarConfiguration
    ramp = (numpy.arange(100)[None, :] * 255 // 99 + numpy.zeros((100, 1), int)).astype(numpy.uint8)
    ds.PixelData = ramp.tobytes()
    lut = pydicom.dcmread(os.path.join(os.path.dirname(pydicom.__file__), "data", "palettes",
                                       "hotiron.dcm"))
    for colour in ("Red", "Green", "Blue"):
        for suffix in ("PaletteColorLookupTableDescriptor", "PaletteColorLookupTableData"):
            setattr(ds, colour + suffix, getattr(lut, colour + suffix))
        ds[colour + "PaletteColorLookupTableDescriptor"].VR = "US"  # 8-bit indices: unsigned
        ds[colour + "PaletteColorLookupTableData"].VR = "OW"
    ds.save_as(os.path.join(HERE, "own-palette-colour.dcm"), write_like_original=False)


if __name__ == "__main__":
    rgb = pydicom.dcmread(SOURCE).pixel_array
    uncompressed("own-rgb-uncompressed.dcm", "RGB", rgb, "own-rgb")
    uncompressed("own-ybr-full-uncompressed.dcm", "YBR_FULL",
                 convert_color_space(rgb, "RGB", "YBR_FULL"), "own-ybr")
    palette()
