"""Tests of the official PDF forms (附件1-4)."""
