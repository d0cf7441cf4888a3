"""What core ships as plugins, registered through the same hooks outside plugins use."""
