"""Sync between laptops and the municipality's hub, through any shared folder.

A laptop exports one signed, encrypted *bundle* file per export (bundle.py) with
the field changes the hub has not acknowledged; the hub verifies each bundle,
merges it field by field in one transaction (merge.py) and writes a return bundle
for every laptop with what that laptop has not seen (hub.py). Keys and trust
live in keys.py. Nothing here needs a network or a server: a USB stick, Syncthing
or Nextcloud folder carries the files.
"""
