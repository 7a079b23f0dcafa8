"""A catalogue of red and near-infrared light-therapy devices."""
