import { BrowserRouter, Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireSession } from './components/require-session';
import { AssignedAccountsPage } from './pages/assigned-accounts-page';
import { ArchivePage } from './pages/archive-page';
import { ArchiveShipmentPage } from './pages/archive-shipment-page';
import { AssignmentPage } from './pages/assignment-page';
import { CaseDetailPage } from './pages/case-detail-page';
import { CaseFileDetailPage } from './pages/case-file-detail-page';
import { CaseFilesPage } from './pages/case-files-page';
import { CasesPage } from './pages/cases-page';
import { CreditDetailPage } from './pages/credit-detail-page';
import { ConvenioDetailPage } from './pages/convenio-detail-page';
import { ConveniosPage } from './pages/convenios-page';
import { CreditSearchPage } from './pages/credit-search-page';
import { DeadlinePolicyPage } from './pages/deadline-policy-page';
import { HomePage } from './pages/home-page';
import { IndicatorsPage } from './pages/indicators-page';
import { ConvenioTypePolicyPage } from './pages/convenio-type-policy-page';
import { ExclusionPolicyPage } from './pages/exclusion-policy-page';
import { LoginPage } from './pages/login-page';
import { MediatorsPage } from './pages/mediators-page';
import { NotFoundPage } from './pages/not-found-page';
import { ProposalDetailPage } from './pages/proposal-detail-page';
import { ProposalsPage } from './pages/proposals-page';
import { ReconciliationPage } from './pages/reconciliation-page';
import { ReportsPage } from './pages/reports-page';
import { VisitsPage } from './pages/visits-page';

/**
 * Routes (Spanish paths, as users see them in the address bar):
 *   /ingresar            sign in
 *   /                    home for the user's role
 *   /creditos            portfolio search (?q=…&pagina=…)
 *   /creditos/:number    credit detail (with the monthly tagging explanation)
 *   /asignacion          monthly tagging and assignment runs (?mes=YYYY-MM); operations runs it
 *   /cuentas-asignadas   assigned accounts in the user's scope (?mes=…&pagina=…)
 *   /politicas/exclusiones  exclusion criteria EXC-1..10 and their versions (ASG-2)
 *   /politicas/tipo-convenio  the convenio-type criteria (ASG-3) and their versions
 *   /politicas/plazos    deadlines DL-1..DL-18 and SL-1, non-working days, remote-session tools (SPEC §5)
 *   /propuestas          proposals of credits for mediation outside the monthly run (ENT-A, ENT-B;
 *                        ?estado=pendientes|resueltas) and the form to send one
 *   /propuestas/:id      one proposal with the outcome of each credit; the review button
 *   /visitas             the field agent's (and agency's) accounts to visit, with their case (act. 2;
 *                        ?q=…&pendientes=si&pagina=…); "Registrar visita" opens the credit's case
 *   /casos               mediation case work lists per role (?lista=por-distribuir|nuevos|…&q=…)
 *   /casos/:id           one case: header, due dates, history, evidence and the user's activities
 *   /mediadores          the agency's mediator ↔ app-licence register (act. 5)
 *   /convenios           signed convenios: work lists per role (?lista=por-enviar|por-revisar|primer-pago|…&q=…)
 *   /convenios/:id       one convenio: terms, review (DL-9..12), documents, first payment, credit now, history
 *   /conciliacion        signed terms vs terms applied to the credit vs payments (?delegacion=…)
 *   /reportes            monthly reports REP-1 (agency) and REP-2 (delegación) as of a date; the office's requests and clarifications (acts. 32–34, DL-17)
 *   /indicadores         REP-5 dashboards: funnel, SL-1, DL-1..DL-17 (?desde=…&hasta=…&delegacion=…&agencia=…&mediador=…&agrupar=…)
 *   /expedientes         case files: work lists per role (?lista=por-integrar|por-revisar|por-enviar|…)
 *   /expedientes/:caseId the case file of a case with an outcome: checklist EXP-1/EXP-2, documents, review (acts. 28–31, 35)
 *   /archivo             archive shipments (act. 35, EXP-4) and the monthly progress report (act. 36, REP-4; ?mes=…)
 *   /archivo/envios/:id  one shipment: its list (REP-3), its files and the archive's receipts
 */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/ingresar" element={<LoginPage />} />
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route index element={<HomePage />} />
            <Route path="creditos" element={<CreditSearchPage />} />
            <Route path="creditos/:creditNumber" element={<CreditDetailPage />} />
            <Route path="asignacion" element={<AssignmentPage />} />
            <Route path="cuentas-asignadas" element={<AssignedAccountsPage />} />
            <Route path="politicas/exclusiones" element={<ExclusionPolicyPage />} />
            <Route path="politicas/tipo-convenio" element={<ConvenioTypePolicyPage />} />
            <Route path="politicas/plazos" element={<DeadlinePolicyPage />} />
            <Route path="propuestas" element={<ProposalsPage />} />
            <Route path="propuestas/:proposalId" element={<ProposalDetailPage />} />
            <Route path="visitas" element={<VisitsPage />} />
            <Route path="casos" element={<CasesPage />} />
            <Route path="casos/:caseId" element={<CaseDetailPage />} />
            <Route path="mediadores" element={<MediatorsPage />} />
            <Route path="convenios" element={<ConveniosPage />} />
            <Route path="convenios/:convenioId" element={<ConvenioDetailPage />} />
            <Route path="conciliacion" element={<ReconciliationPage />} />
            <Route path="reportes" element={<ReportsPage />} />
            <Route path="indicadores" element={<IndicatorsPage />} />
            <Route path="expedientes" element={<CaseFilesPage />} />
            <Route path="expedientes/:caseId" element={<CaseFileDetailPage />} />
            <Route path="archivo" element={<ArchivePage />} />
            <Route path="archivo/envios/:shipmentId" element={<ArchiveShipmentPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
