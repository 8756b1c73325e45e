//go:build tools

// Package tools keeps the dependencies of argo-rollouts' cmd/rollouts-controller (a main package, which cannot be
// imported) in go.mod for `go mod tidy`: its non-main imports, whose closure is the command's.
package tools

import (
	_ "github.com/argoproj/argo-rollouts/controller"
	_ "github.com/argoproj/argo-rollouts/controller/metrics"
	_ "github.com/argoproj/argo-rollouts/metricproviders"
	_ "github.com/argoproj/argo-rollouts/metricproviders/job"
	_ "github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	_ "github.com/argoproj/argo-rollouts/pkg/client/clientset/versioned"
	_ "github.com/argoproj/argo-rollouts/pkg/signals"
	_ "github.com/argoproj/argo-rollouts/rollout"
	_ "github.com/argoproj/argo-rollouts/utils/controller"
	_ "github.com/argoproj/argo-rollouts/utils/defaults"
	_ "github.com/argoproj/argo-rollouts/utils/errors"
	_ "github.com/argoproj/argo-rollouts/utils/ingress"
	_ "github.com/argoproj/argo-rollouts/utils/istio"
	_ "github.com/argoproj/argo-rollouts/utils/log"
	_ "github.com/argoproj/argo-rollouts/utils/record"
	_ "github.com/argoproj/argo-rollouts/utils/tolerantinformer"
	_ "github.com/argoproj/argo-rollouts/utils/version"
	_ "github.com/argoproj/pkg/kubeclientmetrics"
	_ "github.com/servicemeshinterface/smi-sdk-go/pkg/gen/client/split/clientset/versioned"
	_ "github.com/sirupsen/logrus"
	_ "github.com/spf13/cobra"
	_ "k8s.io/client-go/plugin/pkg/client/auth/azure"
	_ "k8s.io/client-go/plugin/pkg/client/auth/gcp"
	_ "k8s.io/client-go/plugin/pkg/client/auth/oidc"
)
