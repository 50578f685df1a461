import { ProjectionsAdmin } from '@/features/admin/components/operations';
import { SignHeadNow } from '@/features/admin/components/sign-head-now';

export function AdminOperationsRoute() {
  return (
    <>
      <h1>Operations</h1>
      <section className="card" aria-labelledby="projections-title">
        <h2 id="projections-title">Projections</h2>
        <ProjectionsAdmin />
      </section>
      <section className="card" aria-labelledby="sign-title">
        <h2 id="sign-title">Signed heads</h2>
        <SignHeadNow />
      </section>
    </>
  );
}
