#!/usr/bin/python3
"""Writes the own-*.dcm files of this folder: more inputs of the field cases'
kinds, made from the team's samples with pydicom (Debian's python3-pydicom
2.3.1). Run with Debian's interpreter:  /usr/bin/python3 make_own_cases.py

- own-61b-pixel-data-vr-un-big-endian.dcm: 61-pixel-data-vr-un.dcm in
  explicit VR big endian, Pixel Data still written as UN, its 16-bit words
  in big endian order (PS3.5 §6.2.2: a UN value keeps the transfer syntax's
  byte order). Same samples, so the same figures as 61.
"""
import os

import numpy
import pydicom
from pydicom.uid import ExplicitVRBigEndian

HERE = os.path.dirname(os.path.abspath(__file__))


def un_big_endian():
    ds = pydicom.dcmread(os.path.join(HERE, "61-pixel-data-vr-un.dcm"))
    samples = ds.pixel_array.astype(numpy.uint16)
    ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    ds.is_little_endian = False
    ds.is_implicit_VR = False
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".2"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.SeriesInstanceUID = ds.SeriesInstanceUID + ".2"
    ds.PixelData = samples.astype(">u2").tobytes()
    ds["PixelData"].VR = "UN"
    ds.save_as(os.path.join(HERE, "own-61b-pixel-data-vr-un-big-endian.dcm"),
               write_like_original=False)


if __name__ == "__main__":
    un_big_endian()
