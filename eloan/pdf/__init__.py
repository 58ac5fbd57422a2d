"""The four official forms (附件1-4) as PDF: a context builder per form, one shared renderer."""
