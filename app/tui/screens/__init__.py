"""Full screens: the audit list and one audit."""
