module clusterproof.local/images/probe

go 1.24.0
