"""Writers turn a :class:`planwriter.tree.Document` into bytes or text."""
