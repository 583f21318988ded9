"""The JSON Schemas, shipped inside the mocksnap package as mocksnap.data.schemas."""
