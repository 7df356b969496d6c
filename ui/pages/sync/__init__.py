"""The Synchroniseren page: the laptop's bundles, or the hub's merge, laptops, conflicts and retention."""
